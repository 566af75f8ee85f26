using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Security.Principal;

namespace ActorAuth.Security;

/// <summary>
/// A security context over <see cref="NegotiateAuthentication"/>: SSPI on Windows, GSSAPI on Linux. The
/// portable implementation. On Linux it cannot return the package's error token or MIT's reason text
/// (failures arrive as a bare status code) and it acquires credentials per context.
/// </summary>
internal sealed class NegotiateAuthenticationPal : SecurityContextPal
{
    private readonly NegotiateAuthentication _authentication;
    private readonly bool _isServer;

    private NegotiateAuthenticationPal(NegotiateAuthentication authentication, bool isServer)
    {
        _authentication = authentication;
        _isServer = isServer;
    }

    public static NegotiateAuthenticationPal CreateServer(ServerCredentialOptions options) => new(
        new NegotiateAuthentication(new NegotiateAuthenticationServerOptions
        {
            Package = options.Package,
            RequiredProtectionLevel = options.RequiredProtectionLevel,
        }),
        isServer: true);

    public static NegotiateAuthenticationPal CreateClient(ClientContextOptions options) => new(
        new NegotiateAuthentication(new NegotiateAuthenticationClientOptions
        {
            Package = options.Package,
            TargetName = options.TargetName,
            Credential = options.Credential ?? CredentialCache.DefaultNetworkCredentials,
            RequireMutualAuthentication = true,
            RequiredProtectionLevel = options.RequiredProtectionLevel,
            AllowedImpersonationLevel = options.AllowedImpersonationLevel,
        }),
        isServer: false);

    public override string Package => _authentication.Package;

    public override ContextAttributes Attributes =>
        (_authentication.IsMutuallyAuthenticated ? ContextAttributes.MutualAuthentication : 0)
        | (_authentication.IsSigned ? ContextAttributes.Integrity : 0)
        | (_authentication.IsEncrypted ? ContextAttributes.Confidentiality : 0)
        | (_authentication.IsAuthenticated ? ImpersonationAttributes(_authentication.ImpersonationLevel) : 0);

    public override string RemotePrincipal => _isServer
        ? _authentication.RemoteIdentity.Name ?? string.Empty
        : _authentication.TargetName ?? string.Empty;

    public override IIdentity? PlatformIdentity => _isServer && _authentication.IsAuthenticated ? _authentication.RemoteIdentity : null;

    public override SecurityStatus Step(ReadOnlySpan<byte> inputToken, out byte[]? outputToken)
    {
        outputToken = _authentication.GetOutgoingBlob(inputToken, out NegotiateAuthenticationStatusCode code);
        return SecurityStatus.From(code);
    }

    public override SecurityStatus Wrap(ReadOnlySpan<byte> message, bool encrypt, IBufferWriter<byte> output) =>
        SecurityStatus.From(_authentication.Wrap(message, output, encrypt, out _));

    public override SecurityStatus Unwrap(ReadOnlySpan<byte> token, IBufferWriter<byte> output, out bool wasEncrypted) =>
        SecurityStatus.From(_authentication.Unwrap(token, output, out wasEncrypted));

    public override SecurityStatus GetMic(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        try
        {
            _authentication.ComputeIntegrityCheck(message, output);
            return SecurityStatus.Completed;
        }
        catch (Exception e) when (e is not InvalidOperationException)
        {
            // ComputeIntegrityCheck returns nothing and reports a package failure by throwing a platform type
            // (GssApiException on Linux, Win32Exception on Windows); failures here are data, as for Wrap.
            return new(SecurityStatusCode.Failure, $"the security package could not make the MIC ({e.Message})");
        }
    }

    // VerifyIntegrityCheck says only true or false: false is a checksum that did not verify. Replays pass it on
    // Linux (.NET requests no replay detection); the context's own sequence check refuses them.
    public override SecurityStatus VerifyMic(ReadOnlySpan<byte> message, ReadOnlySpan<byte> mic) =>
        _authentication.VerifyIntegrityCheck(message, mic)
            ? SecurityStatus.Completed
            : SecurityStatus.From(NegotiateAuthenticationStatusCode.MessageAltered);

    public override void Dispose() => _authentication.Dispose();

    private static ContextAttributes ImpersonationAttributes(TokenImpersonationLevel level) => level switch
    {
        TokenImpersonationLevel.Delegation => ContextAttributes.Delegation,
        TokenImpersonationLevel.Identification => ContextAttributes.Identification,
        _ => ContextAttributes.None,
    };
}
