using System.CommandLine;
using ActorAuth.Directory;

namespace ActorAuth.Cli;

/// <summary>
/// <c>actorauth scp publish|find|remove</c>: the service connection points clients discover a service through, in the
/// chosen directory. One SCP per service class, host and <c>--instance</c> (a running server publishes its own, named
/// by its port); without <c>--instance</c>, one per class and host. Publishing again updates it.
/// </summary>
internal static class ScpCommands
{
    public static Command Create() => new("scp", "Publish, find and remove service connection points.") { Publish(), Find(), Remove() };

    private static Option<string> Class() => new("--class") { Description = "The service class (the SCP's serviceClassName), e.g. actorauth.", Required = true };

    private static Option<string> Host() => new("--host") { Description = "The host's DNS name (the SCP's serviceDNSName).", Required = true };

    private static Option<string?> Instance() => new("--instance")
    {
        Description = "What tells this instance from others of the class on the host (a server uses its port); without it, the one SCP of the class on the host.",
    };

    private static Option<string[]> Keywords(bool required) => new("--keywords")
    {
        Description = "Keywords: the service's GUID and product name (find: every one must match).",
        AllowMultipleArgumentsPerToken = true,
        Required = required,
    };

    private static Command Publish()
    {
        Option<string> serviceClass = Class();
        Option<string> host = Host();
        var port = new Option<int>("--port") { Description = "The service's TCP port.", Required = true };
        Option<string[]> keywords = Keywords(required: true);
        Option<string?> instance = Instance();
        var command = new Command("publish", "Create or update the SCP of a service instance on a host (DNS name type A, binding host:port); prints it.") { serviceClass, host, port, keywords, instance };
        var directory = new DirectoryCliOptions(command);
        command.SetAction((parse, cancellationToken) => DirectoryCliOptions.RunAsync("scp publish", async () =>
        {
            string dnsName = parse.GetValue(host)!;
            ushort servicePort = DirectoryCliOptions.Port(parse.GetValue(port), "--port", minimum: 1);
            var scp = new ServiceConnectionPoint(parse.GetValue(keywords)!, parse.GetValue(serviceClass)!, dnsName, "A", [$"{dnsName}:{servicePort}"])
            {
                InstanceName = parse.GetValue(instance),
            };
            Console.WriteLine(Describe(await directory.Open(parse).PublishScpAsync(scp, cancellationToken)));
        }));
        return command;
    }

    private static Command Find()
    {
        Option<string> serviceClass = Class();
        Option<string[]> keywords = Keywords(required: false);
        var command = new Command("find", "Print the SCPs of a service class carrying every keyword, one a line.") { serviceClass, keywords };
        var directory = new DirectoryCliOptions(command);
        command.SetAction((parse, cancellationToken) => DirectoryCliOptions.RunAsync("scp find", async () =>
        {
            foreach (ServiceConnectionPoint scp in await directory.Open(parse).FindScpsAsync(parse.GetValue(serviceClass)!, parse.GetValue(keywords), cancellationToken))
            {
                Console.WriteLine(Describe(scp));
            }
        }));
        return command;
    }

    private static Command Remove()
    {
        Option<string> serviceClass = Class();
        Option<string> host = Host();
        Option<string?> instance = Instance();
        var command = new Command("remove", "Remove the SCP of a service instance on a host (no error when there is none).") { serviceClass, host, instance };
        var directory = new DirectoryCliOptions(command);
        command.SetAction((parse, cancellationToken) => DirectoryCliOptions.RunAsync("scp remove", async () =>
        {
            // The backends name an SCP by its class, DNS name and instance alone, so the other attributes may stay empty.
            var scp = new ServiceConnectionPoint([], parse.GetValue(serviceClass)!, parse.GetValue(host)!, "A", []) { InstanceName = parse.GetValue(instance) };
            await directory.Open(parse).RemoveScpAsync(scp, cancellationToken);
        }));
        return command;
    }

    /// <summary>One line: the DN (the dev realm's file store has none), class, DNS name and type, instance (if any), binding information, keywords.</summary>
    private static string Describe(ServiceConnectionPoint scp) =>
        $"{scp.DistinguishedName ?? "(dev realm store)"} class={scp.ServiceClassName} dns={scp.ServiceDnsName}/{scp.ServiceDnsNameType} "
        + (scp.InstanceName is { } instance ? $"instance={instance} " : "")
        + $"binding={string.Join(",", scp.ServiceBindingInformation)} keywords={string.Join(",", scp.Keywords)}";
}
