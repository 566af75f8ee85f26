using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using ActorAuth.Security;

namespace ActorAuth.Client.Http;

/// <summary>
/// HTTP Negotiate (RFC 4559) for <see cref="HttpClient"/> with ActorAuth's own <see cref="ClientSecurityContext"/>
/// (not .NET's built-in handler, which cannot share a credential or require mutual authentication). A request is
/// sent; a <c>401</c> offering Negotiate makes a new context for the SPN (<c>HTTP/&lt;host&gt;</c> unless
/// <see cref="NegotiateHttpOptions.ServicePrincipalName"/> says otherwise) and the request is resent with
/// <c>Authorization: Negotiate &lt;token&gt;</c>, continuing while the server answers 401 with a token (at most
/// <see cref="NegotiateHttpOptions.MaxLegs"/> times). The final response must carry the server's token, and it must
/// complete the context with mutual authentication; otherwise the response is disposed and
/// <see cref="MutualAuthenticationException"/> thrown — for any status below 400, and for any response whose token
/// does not verify. An error response (400 and up) without a token is returned as it is, unauthenticated.
/// A response the server authenticated has <see cref="NegotiateHttpResponses.GetNegotiateAuthentication"/>; when no
/// token could be made (no ticket, unknown SPN) the server's 401 is returned with the reason in
/// <see cref="NegotiateHttpResponses.GetNegotiateFailure"/>. Request content is buffered so it can be resent.
/// A request that already has an <c>Authorization</c> header is passed through untouched. Each request gets its own
/// context, so the handler is thread-safe; the inner handler must not follow redirects (a redirect would leave the
/// authenticated server unchecked): <see cref="ActorAuthClient.CreateHttpClient"/> sets it up so.
/// </summary>
public sealed class NegotiateHttpHandler : DelegatingHandler
{
    private readonly NegotiateHttpOptions _options;

    /// <summary>A handler over <paramref name="innerHandler"/> (a <see cref="SocketsHttpHandler"/> with redirects off, typically).</summary>
    /// <exception cref="ArgumentException">Both a shared credential and a user name and password, or fewer than one leg.</exception>
    public NegotiateHttpHandler(NegotiateHttpOptions options, HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SharedCredential is not null && options.Credential is not null)
        {
            throw new ArgumentException("Give either a shared credential or a user name and password, not both.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLegs, 1, nameof(options));
        _options = options;
    }

    /// <summary>The options the handler authenticates with.</summary>
    public NegotiateHttpOptions Options => _options;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.Authorization is not null)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        HttpResponseMessage? response = null;
        if (!_options.Preemptive)
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized || !ChallengeOf(response).IsOffered)
            {
                return response;
            }
        }

        string spn = _options.ServicePrincipalName ?? "HTTP/" + (request.RequestUri?.IdnHost
            ?? throw new InvalidOperationException("The request has no absolute URI to name the service by."));
        using ClientSecurityContext context = CreateContext(spn);
        SecurityStatus status = context.Initialize(ReadOnlySpan<byte>.Empty, out byte[]? token);
        if (status.IsError || token is null)
        {
            // The client's own failure (no ticket, unknown SPN): the server's 401 is the answer, with the reason.
            response ??= await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            request.Options.Set(NegotiateHttpResponses.FailureKey, $"no Negotiate token for {spn}: {status}");
            return response;
        }

        for (int leg = 1; ; leg++)
        {
            response?.Dispose();
            request.Headers.Authorization = new AuthenticationHeaderValue(NegotiateChallenge.Scheme, Convert.ToBase64String(token));
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            NegotiateChallenge challenge = ChallengeOf(response);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                return Finish(request, response, context, challenge, spn, leg);
            }

            byte[]? serverToken = challenge.TokenBytes();
            if (serverToken is null || leg >= _options.MaxLegs)
            {
                request.Options.Set(NegotiateHttpResponses.FailureKey, serverToken is null
                    ? $"the server refused the Negotiate token for {spn}"
                    : $"the server still asked for more after {leg} legs");
                return response;
            }

            status = context.Initialize(serverToken, out token);
            if (status.Code != SecurityStatusCode.ContinueNeeded || token is null)
            {
                request.Options.Set(NegotiateHttpResponses.FailureKey, $"the server answered 401 to the Negotiate token for {spn}: {status}");
                return response;
            }
        }
    }

    /// <summary>Checks the final response's token: it must complete the context with mutual authentication.</summary>
    private NegotiateHttpAuthentication? Verify(ClientSecurityContext context, NegotiateChallenge challenge, int legs, out SecurityStatus? status)
    {
        status = null;
        if (challenge.Token is null)
        {
            return null;
        }

        byte[]? serverToken = challenge.TokenBytes();
        status = serverToken is null
            ? new SecurityStatus(SecurityStatusCode.InvalidToken, "the server's Negotiate token is not base64")
            : context.Initialize(serverToken, out _);
        if (status.Value.Code != SecurityStatusCode.Completed)
        {
            return null;
        }

        return new NegotiateHttpAuthentication
        {
            ServerPrincipal = context.TargetName,
            ClientPrincipal = _options.SharedCredential?.Principal,
            Package = context.Package,
            IsMutuallyAuthenticated = context.Attributes.HasFlag(ContextAttributes.MutualAuthentication),
            ImpersonationLevel = context.ImpersonationLevel,
            Legs = legs,
            Preemptive = _options.Preemptive,
        };
    }

    private HttpResponseMessage Finish(HttpRequestMessage request, HttpResponseMessage response, ClientSecurityContext context, NegotiateChallenge challenge, string spn, int leg)
    {
        NegotiateHttpAuthentication? authentication = Verify(context, challenge, leg, out SecurityStatus? status);
        if (authentication is not null)
        {
            request.Options.Set(NegotiateHttpResponses.AuthenticationKey, authentication);
            return response;
        }

        if (status is null && (int)response.StatusCode >= 400)
        {
            return response; // an unauthenticated error: nothing in it is trusted, and nothing claims to be
        }

        HttpStatusCode code = response.StatusCode;
        string answer = $"{(int)code} {response.ReasonPhrase}";
        response.Dispose();
        throw new MutualAuthenticationException(status is null
            ? $"The server answered {answer} without a WWW-Authenticate: Negotiate token: it did not prove it holds the keys of {spn}; the response was discarded."
            : $"The server answered {answer} with a Negotiate token that does not prove it holds the keys of {spn} ({status}); the response was discarded.",
            code, spn, status);
    }

    private ClientSecurityContext CreateContext(string spn) =>
        // HTTP protects no message with the context: no protection level is required and nothing is exported from MIT.
        ClientContexts.Create(_options.SharedCredential, _options.Credential, _options.Package, _options.Provider, spn,
            ProtectionLevel.None, _options.ImpersonationLevel, MessageProtection.GssApi);

    private static NegotiateChallenge ChallengeOf(HttpResponseMessage response) =>
        NegotiateChallenge.Parse(response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out HeaderStringValues values) ? values : []);
}
