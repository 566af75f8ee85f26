using System.CommandLine;
using System.Net;
using ActorAuth.Client;
using ActorAuth.Security;
using Microsoft.Extensions.Configuration;
using ActorAuth.Server.Hosting;

namespace ActorAuth.Cli;

/// <summary>
/// <c>actorauth client --host H --port P --spn SPN [--user U --password-file F]</c>: authenticates and prints
/// who is who. Exit 0 only on mutual authentication; otherwise one line giving the reason, exit 1.
/// </summary>
internal static class ClientCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "Server host name or address.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Server TCP port.", DefaultValueFactory = _ => 2000 };
        var spn = new Option<string>("--spn") { Description = "Service principal name the server must prove (e.g. actorauth/localhost).", DefaultValueFactory = _ => "actorauth/localhost" };
        var user = new Option<string?>("--user") { Description = "User principal (e.g. alice); with --password-file. Without it, the ticket cache (KRB5CCNAME) is used." };
        var passwordFile = new Option<FileInfo?>("--password-file") { Description = "File holding the user's password." };
        Option<string> package = CliOptions.Package();
        Option<string> config = CliOptions.Config();
        var command = new Command("client", "Authenticate to a server and print the principals, package and whether mutual authentication was achieved.")
        {
            host, port, spn, user, passwordFile, package, config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                KerberosEnvironment.Apply(KerberosSettings.Variables(ActorAuthConfiguration.Load(parse.GetValue(config)!)));
                var options = new ActorAuthClientOptions
                {
                    Package = parse.GetValue(package)!,
                    Credential = Credential(parse.GetValue(user), parse.GetValue(passwordFile)),
                };
                await using AuthenticatedChannel channel = await ActorAuthClient.ConnectAsync(
                    parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(spn)!, options, cancellationToken);
                Print(channel, parse.GetValue(user));
                return 0;
            }
            catch (Exception e) when (e is ActorAuthClientException or ArgumentException or IOException)
            {
                string reason = e is ActorAuthClientException c ? $"{c.Failure}: {c.Message}" : e.Message;
                await Console.Error.WriteLineAsync($"actorauth client: authentication failed: {reason}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>The client's credential: a password from a file (trailing newline ignored), or null for the ticket cache.</summary>
    public static NetworkCredential? Credential(string? user, FileInfo? passwordFile)
    {
        if (user is null && passwordFile is null)
        {
            return null;
        }

        if (user is null || passwordFile is null)
        {
            throw new ArgumentException("--user and --password-file go together.");
        }

        string password = File.ReadAllText(passwordFile.FullName).TrimEnd('\r', '\n');
        return new NetworkCredential(user, password);
    }

    /// <summary>Prints the outcome of a handshake, one fact a line.</summary>
    public static void Print(AuthenticatedChannel channel, string? user)
    {
        Console.WriteLine($"client principal: {user ?? "(from the ticket cache)"}");
        Console.WriteLine($"server principal: {channel.ServerPrincipal}");
        Console.WriteLine($"package: {channel.Package}");
        Console.WriteLine($"mutual authentication: {(channel.IsMutuallyAuthenticated ? "yes" : "no")}");
        Console.WriteLine($"protection: {channel.ProtectionLevel}");
        Console.WriteLine($"legs: {channel.Legs}");
    }
}
