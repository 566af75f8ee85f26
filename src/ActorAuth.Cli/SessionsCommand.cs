using System.CommandLine;
using System.Text;
using System.Text.Json;
using ActorAuth.Client;
using ActorAuth.Security;
using ActorAuth.Server.Hosting;
using ActorAuth.Server.Sessions;
using Microsoft.Extensions.Configuration;

namespace ActorAuth.Cli;

/// <summary>
/// <c>actorauth sessions list [--principal P]</c> and <c>actorauth sessions revoke --principal P</c>: the operators'
/// built-in <c>sessions-list</c> / <c>sessions-revoke</c> operations, over an authenticated session with any node of the
/// cluster (the caller must be named in the authorization file's <c>operators</c>).
/// </summary>
internal static class SessionsCommand
{
    public static Command Create() => new("sessions", "List or revoke authenticated sessions across the cluster (operators only).")
    {
        Subcommand("list", "List the sessions every node of the cluster holds (of one principal with --principal).", SessionsHandler.List, principalRequired: false),
        Subcommand("revoke", "End every session of --principal on every node and refuse its new handshakes for actorauth.cluster.revoke-for.", SessionsHandler.Revoke, principalRequired: true),
    };

    private static Command Subcommand(string name, string description, string operation, bool principalRequired)
    {
        var host = new Option<string>("--host") { Description = "A node's host name or address.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "The node's sockauth port.", DefaultValueFactory = _ => 2000 };
        var spn = new Option<string>("--spn") { Description = "Service principal name the node must prove.", DefaultValueFactory = _ => "actorauth/localhost" };
        var user = new Option<string?>("--user") { Description = "The operator's principal; with --password-file. Without it, the ticket cache (KRB5CCNAME) is used." };
        var passwordFile = new Option<FileInfo?>("--password-file") { Description = "File holding the operator's password." };
        var principal = new Option<string?>("--principal") { Description = "The principal whose sessions to list or revoke, e.g. bob@ACTORAUTH.TEST.", Required = principalRequired };
        var json = new Option<bool>("--json") { Description = "Print the node's JSON answer as it is." };
        // A list is ~170 bytes of JSON per session: the default holds ~6,000; the node's session.max-message bounds it too.
        var maxReply = new Option<int>("--max-reply") { Description = "Largest reply accepted, bytes (the node's actorauth.server.session.max-message must allow it too).", DefaultValueFactory = _ => new ActorAuthClientOptions().MaxMessageLength };
        Option<string> config = CliOptions.Config();
        var command = new Command(name, description) { host, port, spn, user, passwordFile, principal, json, maxReply, config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                IConfigurationRoot configuration = ActorAuthConfiguration.Load(parse.GetValue(config)!);
                KerberosEnvironment.Apply(KerberosSettings.Variables(configuration));
                var options = new ActorAuthClientOptions
                {
                    Credential = ClientCommand.Credential(parse.GetValue(user), parse.GetValue(passwordFile)),
                    MaxMessageLength = parse.GetValue(maxReply),
                };
                await using AuthenticatedChannel channel = await ActorAuthClient.ConnectAsync(parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(spn)!, options, cancellationToken);
                ReadOnlyMemory<byte> reply = await channel.RequestAsync(Encoding.UTF8.GetBytes(parse.GetValue(principal) ?? ""), operation, cancellationToken);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(Encoding.UTF8.GetString(reply.Span));
                }
                else
                {
                    using JsonDocument answer = JsonDocument.Parse(reply);
                    (operation == SessionsHandler.List ? (Action<JsonElement>)PrintList : PrintRevoke)(answer.RootElement);
                }

                return 0;
            }
            catch (Exception e) when (e is ActorAuthClientException or ArgumentException or IOException or SecurityPackageException or JsonException)
            {
                await Console.Error.WriteLineAsync($"actorauth sessions {name}: {(e is ActorAuthClientException c ? $"{c.Failure}: {c.Message}" : e.Message)}");
                return 1;
            }
        });
        return command;
    }

    private static void PrintList(JsonElement answer)
    {
        JsonElement sessions = answer.GetProperty("sessions");
        Console.WriteLine($"{answer.GetProperty("total").GetInt32()} sessions on nodes [{string.Join(", ", answer.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()))}]"
            + (answer.GetProperty("truncated").GetBoolean() ? $"; the {sessions.GetArrayLength()} that fit one reply follow (list one principal's with --principal)" : ""));
        foreach (JsonElement s in sessions.EnumerateArray())
        {
            Console.WriteLine($"{s.GetProperty("principal").GetString(),-32} {s.GetProperty("node").GetString(),-21} {s.GetProperty("listener").GetString(),-16} {s.GetProperty("remote").GetString(),-21} since {s.GetProperty("since").GetString()}  conn {s.GetProperty("connection").GetInt64()}");
        }
    }

    private static void PrintRevoke(JsonElement answer)
    {
        Console.WriteLine($"revoked {answer.GetProperty("principal").GetString()}: new handshakes refused until {answer.GetProperty("refused_until").GetString()}");
        foreach (JsonProperty node in answer.GetProperty("ended").EnumerateObject())
        {
            Console.WriteLine($"  {node.Name}: {node.Value.GetInt32()} sessions ended");
        }

        foreach (JsonElement node in answer.GetProperty("unconfirmed").EnumerateArray())
        {
            Console.WriteLine($"  {node.GetString()}: did not confirm in time");
        }
    }
}
