using System.CommandLine;
using ActorAuth.DevRealm;
using DevRealmInstance = ActorAuth.DevRealm.DevRealm;

namespace ActorAuth.Cli;

/// <summary>
/// <c>actorauth realm up|down|env</c>: a throwaway MIT realm ACTORAUTH.TEST on 127.0.0.1 for development,
/// the demo and the tests. <c>up</c> and <c>env</c> print <c>export</c> lines for the shell to eval.
/// </summary>
internal static class RealmCommands
{
    public static Command Create()
    {
        var realm = new Command("realm", "Manage the throwaway development realm ACTORAUTH.TEST.");

        Option<string> upDir = CliOptions.RealmDirectory();
        var up = new Command("up", "Create the realm if needed and start its KDC; prints export lines (eval \"$(actorauth realm up)\").") { upDir };
        up.SetAction(async (parse, cancellationToken) => await Run(async () =>
        {
            DevRealmInstance created = await DevRealmInstance.UpAsync(new RealmOptions(parse.GetValue(upDir)!), cancellationToken);
            await Console.Error.WriteLineAsync($"realm {created.RealmName} is up: KDC on 127.0.0.1:{created.KdcPort}, files in {created.Directory}");
            Console.Write(created.ExportLines());
        }));

        Option<string> downDir = CliOptions.RealmDirectory();
        var down = new Command("down", "Stop the realm's KDC (the realm's files stay for the next 'up').") { downDir };
        down.SetAction(async (parse, cancellationToken) => await Run(async () =>
        {
            await DevRealmInstance.DownAsync(parse.GetValue(downDir)!, cancellationToken);
            await Console.Error.WriteLineAsync($"realm in {parse.GetValue(downDir)} is down");
        }));

        Option<string> envDir = CliOptions.RealmDirectory();
        var env = new Command("env", "Print the export lines of an existing realm again.") { envDir };
        env.SetAction(async parse => await Run(() =>
        {
            DevRealmInstance existing = DevRealmInstance.Open(parse.GetValue(envDir)!)
                ?? throw new DevRealmException($"No realm in '{parse.GetValue(envDir)}': run 'actorauth realm up' first.");
            Console.Write(existing.ExportLines());
            return Task.CompletedTask;
        }));

        realm.Subcommands.Add(up);
        realm.Subcommands.Add(down);
        realm.Subcommands.Add(env);
        return realm;
    }

    private static async Task<int> Run(Func<Task> action)
    {
        try
        {
            await action();
            return 0;
        }
        catch (DevRealmException e)
        {
            await Console.Error.WriteLineAsync($"actorauth realm: {e.Message}");
            return 1;
        }
    }
}
