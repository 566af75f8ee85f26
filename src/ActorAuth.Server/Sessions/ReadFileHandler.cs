using System.Security.Principal;
using System.Text;
using ActorAuth.Security.Impersonation;

namespace ActorAuth.Server.Sessions;

/// <summary>
/// The built-in <c>read-file</c> operation (needs Impersonation): the body is a UTF-8 path relative to the configured
/// root; the reply is the file's bytes, opened and read <em>as the client</em> (<see cref="ClientImpersonation"/>),
/// so the operating system, not ActorAuth's policy, decides whether the client's account may read it. The path is
/// resolved beneath the root by the kernel (<see cref="ConfinedRoot"/>): no "..", absolute path or symlink leaves it.
/// A refusal by the system or by the root is "denied" with the reason; an absent file, one over the session's
/// maximum message, or a directory is "failed" saying so.
/// </summary>
public sealed class ReadFileHandler(ConfinedRoot root, ClientImpersonation impersonation) : ISessionHandler
{
    /// <summary>The operation name.</summary>
    public const string Name = "read-file";

    /// <inheritdoc />
    public string Operation => Name;

    /// <inheritdoc />
    public TokenImpersonationLevel RequiredImpersonationLevel => TokenImpersonationLevel.Impersonation;

    /// <inheritdoc />
    public async ValueTask<ReadOnlyMemory<byte>> HandleAsync(SessionIdentity identity, ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        string path = Encoding.UTF8.GetString(request.Span);
        (ConfinedReadStatus status, byte[] content, string reason) read;
        try
        {
            read = await impersonation.RunAsClientAsync(identity.ClientPrincipal, identity.PlatformIdentity, () => root.Read(path, identity.MaxMessageLength)).ConfigureAwait(false);
        }
        catch (ImpersonationException e)
        {
            throw e.IsDenial ? new OperationDeniedException(e.Message, e) : new OperationFailedException(e.Message, e);
        }

        return read.status switch
        {
            ConfinedReadStatus.Ok => read.content,
            ConfinedReadStatus.AccessDenied => throw new OperationDeniedException($"the system refused {identity.ClientPrincipal} reading '{path}': {read.reason}"),
            ConfinedReadStatus.OutsideRoot => throw new OperationDeniedException(read.reason),
            _ => throw new OperationFailedException(read.reason),
        };
    }
}
