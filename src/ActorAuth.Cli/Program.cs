using System.CommandLine;

namespace ActorAuth.Cli;

/// <summary>The <c>actorauth</c> command.</summary>
internal static class Program
{
    private static Task<int> Main(string[] args)
    {
        var root = new RootCommand("ActorAuth: a Kerberos/Negotiate mutual-authentication server built as an actor system.")
        {
            RealmCommands.Create(),
            ServerCommand.Create(),
            ClientCommand.Create(),
            DemoCommand.Create(),
            BenchCommand.Create(),
            HttpCommand.Create(),
            SpnCommands.Create(),
            ScpCommands.Create(),
            SessionsCommand.Create(),
        };
        return root.Parse(args).InvokeAsync();
    }
}
