using System.CommandLine;
using ActorAuth.Directory;

namespace ActorAuth.Cli;

/// <summary>
/// <c>actorauth spn make|get|add|list|remove</c>: DsMakeSpn, DsGetSpn and setspn's jobs. <c>make</c> and <c>get</c>
/// only compose (results on stdout, one SPN a line); <c>add</c>, <c>list</c> and <c>remove</c> act on the service
/// account in the chosen directory. Invalid input: one line on stderr, exit 1.
/// </summary>
internal static class SpnCommands
{
    public static Command Create() =>
        new("spn", "Compose service principal names and register them on the service account.") { Make(), Get(), Add(), List(), Remove() };

    private static Option<string> Class() => new("--class") { Description = "The service class, e.g. actorauth.", Required = true };

    private static Option<int> Port(string description) => new("--port") { Description = description };

    private static Command Make()
    {
        Option<string> serviceClass = Class();
        var instance = new Option<string>("--instance") { Description = "The host: its DNS name or IP address.", Required = true };
        Option<int> port = Port("The port; absent or 0: none (the service's default port).");
        var service = new Option<string?>("--service") { Description = "The service name component of a replicable service: a domain, SRV record or SCP DN." };
        var referrer = new Option<string?>("--referrer") { Description = "When --instance is an IP address and --service is absent: the DNS name of the host that referred the client to it." };
        var command = new Command("make", "Compose an SPN by DsMakeSpn's rules; prints it alone on the last line.") { serviceClass, instance, port, service, referrer };
        command.SetAction((parse, _) => DirectoryCliOptions.RunAsync("spn make", () =>
        {
            ushort instancePort = DirectoryCliOptions.Port(parse.GetValue(port), "--port");
            // DsMakeSpn's ServiceName is the host unless an InstanceName is given; the CLI names the host --instance in both cases.
            ServicePrincipalName composed = parse.GetValue(service) is string serviceName
                ? ServicePrincipalName.Make(parse.GetValue(serviceClass)!, serviceName, parse.GetValue(instance), instancePort)
                : ServicePrincipalName.Make(parse.GetValue(serviceClass)!, parse.GetValue(instance)!, instancePort: instancePort, referrer: parse.GetValue(referrer));
            Console.WriteLine(composed);
            return Task.CompletedTask;
        }));
        return command;
    }

    private static Command Get()
    {
        Option<string> serviceClass = Class();
        var host = new Option<string>("--host") { Description = "The host's fully qualified DNS name.", Required = true };
        var aliases = new Option<string[]>("--alias") { Description = "Other DNS names the host is known by.", AllowMultipleArgumentsPerToken = true };
        Option<int> port = Port("The port; absent or 0: none.");
        var command = new Command("get", "Compose a service's host-based SPNs by DsGetSpn's rules, one a line.") { serviceClass, host, aliases, port };
        command.SetAction((parse, _) => DirectoryCliOptions.RunAsync("spn get", () =>
        {
            foreach (ServicePrincipalName spn in ServicePrincipalName.GetHostBased(
                parse.GetValue(serviceClass)!, parse.GetValue(host)!, parse.GetValue(aliases) ?? [], DirectoryCliOptions.Port(parse.GetValue(port), "--port")))
            {
                Console.WriteLine(spn);
            }

            return Task.CompletedTask;
        }));
        return command;
    }

    private static Command Add() => OnAccount("add", "Register SPNs on the service account (refused when another account holds one); prints each.",
        async (backend, spns, cancellationToken) =>
        {
            await backend.RegisterSpnsAsync(spns, cancellationToken);
            foreach (ServicePrincipalName spn in spns)
            {
                Console.WriteLine(spn);
            }
        });

    private static Command Remove() => OnAccount("remove", "Remove SPNs from the service account (no error when it does not hold one); prints each.",
        async (backend, spns, cancellationToken) =>
        {
            foreach (ServicePrincipalName spn in spns)
            {
                await backend.RemoveSpnAsync(spn, cancellationToken);
                Console.WriteLine(spn);
            }
        });

    private static Command List()
    {
        var command = new Command("list", "List the SPNs registered on the service account, one a line.");
        var directory = new DirectoryCliOptions(command);
        command.SetAction((parse, cancellationToken) => DirectoryCliOptions.RunAsync("spn list", async () =>
        {
            foreach (string spn in await directory.Open(parse).GetAccountSpnsAsync(cancellationToken))
            {
                Console.WriteLine(spn);
            }
        }));
        return command;
    }

    /// <summary>A command that parses its SPN arguments (DsCrackSpn's rules) and acts with them on the chosen directory.</summary>
    private static Command OnAccount(string name, string description, Func<IDirectoryBackend, IReadOnlyList<ServicePrincipalName>, CancellationToken, Task> act)
    {
        var spns = new Argument<string[]>("spn") { Description = "SPNs such as actorauth/host.example.com:2000.", Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, description) { spns };
        var directory = new DirectoryCliOptions(command);
        command.SetAction((parse, cancellationToken) => DirectoryCliOptions.RunAsync($"spn {name}", async () =>
        {
            ServicePrincipalName[] parsed = [.. parse.GetValue(spns)!.Select(ServicePrincipalName.Parse)];
            await act(directory.Open(parse), parsed, cancellationToken);
        }));
        return command;
    }
}
