namespace ActorAuth.Server.Sessions;

/// <summary>The built-in <c>echo</c> operation: the reply is the request. The default handler.</summary>
public sealed class EchoHandler : ISessionHandler
{
    /// <summary>The operation name.</summary>
    public const string Name = "echo";

    /// <inheritdoc />
    public string Operation => Name;

    /// <inheritdoc />
    public ValueTask<ReadOnlyMemory<byte>> HandleAsync(SessionIdentity identity, ReadOnlyMemory<byte> request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(request);
}
