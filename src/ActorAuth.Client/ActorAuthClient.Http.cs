using ActorAuth.Client.Http;

namespace ActorAuth.Client;

public static partial class ActorAuthClient
{
    /// <summary>
    /// An <see cref="HttpClient"/> that authenticates to Negotiate-protected endpoints (RFC 4559) with
    /// <paramref name="options"/> — e.g. one <see cref="NegotiateHttpOptions.SharedCredential"/> for every request —
    /// and refuses any successful response whose server did not prove itself (<see cref="MutualAuthenticationException"/>).
    /// Redirects are not followed (the target of one is not the server that was authenticated) and no cookies are
    /// kept; connections are kept alive and pooled. <paramref name="transport"/>, if given, must have
    /// <see cref="SocketsHttpHandler.AllowAutoRedirect"/> off; the client owns and disposes it.
    /// </summary>
    /// <exception cref="ArgumentException">Both a shared credential and a user name and password, or a transport that follows redirects.</exception>
    public static HttpClient CreateHttpClient(NegotiateHttpOptions? options = null, SocketsHttpHandler? transport = null)
    {
        transport ??= new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false };
        if (transport.AllowAutoRedirect)
        {
            throw new ArgumentException("The transport must not follow redirects: the authenticated server would be left unchecked.", nameof(transport));
        }

        return new HttpClient(new NegotiateHttpHandler(options ?? new NegotiateHttpOptions(), transport), disposeHandler: true);
    }
}
