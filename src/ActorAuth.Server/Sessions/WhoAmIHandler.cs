using System.Text;

namespace ActorAuth.Server.Sessions;

/// <summary>The built-in <c>whoami</c> operation: replies with the client principal as the service sees it (UTF-8).</summary>
public sealed class WhoAmIHandler : ISessionHandler
{
    /// <summary>The operation name.</summary>
    public const string Name = "whoami";

    /// <inheritdoc />
    public string Operation => Name;

    /// <inheritdoc />
    public ValueTask<ReadOnlyMemory<byte>> HandleAsync(SessionIdentity identity, ReadOnlyMemory<byte> request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(identity.ClientPrincipal));
}
