using ActorAuth.Security.Impersonation;
using ActorAuth.Server.Sessions;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Hosting;

/// <summary>The server's built-in operations that need its own resources (impersonation, delegation).</summary>
public sealed partial class ActorAuthServer
{
    /// <summary>
    /// The operations that need the server's own resources: <c>read-file</c> when an impersonation root is configured
    /// (refusing to start when this process cannot impersonate, rather than serving it as the server), and
    /// <c>forward-whoami</c> when delegation targets are.
    /// </summary>
    /// <exception cref="ServerStartupException">read-file is configured but cannot impersonate here, or its root is not a directory.</exception>
    private List<ISessionHandler> BuiltInHandlers()
    {
        List<ISessionHandler> builtIns = [];
        if (_impersonationSettings.Root is { } root)
        {
            _impersonation = ClientImpersonation.Create(_impersonationSettings.Threads, _impersonationSettings.QueueLimit);
            if (_impersonation.Unavailable is { } why)
            {
                throw new ServerStartupException($"{ImpersonationSettings.Section}:root is set, so read-file must run as its clients, but {why}.");
            }

            try
            {
                _readFileRoot = new ConfinedRoot(root);
            }
            catch (IOException e)
            {
                throw new ServerStartupException($"{ImpersonationSettings.Section}:root: {e.Message}", e);
            }

            builtIns.Add(new ReadFileHandler(_readFileRoot, _impersonation));
            _log.LogInformation("read-file serves {Root} as each client, through {Mechanism}, on {Threads} dedicated threads",
                _readFileRoot.Path, _impersonation.Mechanism, _impersonationSettings.Threads);
        }

        if (_delegationSettings.Targets.Count > 0)
        {
            builtIns.Add(new ForwardWhoAmIHandler(_delegationSettings));
            _log.LogInformation("forward-whoami may reach, as the client, only [{Targets}]", string.Join(", ", _delegationSettings.Targets));
        }

        return builtIns;
    }
}
