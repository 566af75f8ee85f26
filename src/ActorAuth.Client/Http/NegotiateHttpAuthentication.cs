using System.Security.Principal;

namespace ActorAuth.Client.Http;

/// <summary>
/// What <see cref="NegotiateHttpHandler"/> established for one response: the server proved it holds the keys of
/// <see cref="ServerPrincipal"/> (mutual authentication is always required, so a response carrying this exists
/// only if it did). Read it with <see cref="NegotiateHttpResponses.GetNegotiateAuthentication"/>.
/// </summary>
public sealed record NegotiateHttpAuthentication
{
    /// <summary>The SPN the server proved, e.g. <c>HTTP/localhost</c>.</summary>
    public required string ServerPrincipal { get; init; }

    /// <summary>The client principal, e.g. <c>alice@ACTORAUTH.TEST</c>; null when not known (no shared credential).</summary>
    public string? ClientPrincipal { get; init; }

    /// <summary>The package the context used (for Negotiate, the one SPNEGO chose).</summary>
    public required string Package { get; init; }

    /// <summary>Always true: a response without mutual authentication is refused with <see cref="MutualAuthenticationException"/>.</summary>
    public bool IsMutuallyAuthenticated { get; init; } = true;

    /// <summary>The impersonation level the client allowed the server.</summary>
    public required TokenImpersonationLevel ImpersonationLevel { get; init; }

    /// <summary>Requests that carried a token (1 for Kerberos).</summary>
    public required int Legs { get; init; }

    /// <summary>True when the first request already carried the token (<see cref="NegotiateHttpOptions.Preemptive"/>).</summary>
    public bool Preemptive { get; init; }
}

/// <summary>Reading what <see cref="NegotiateHttpHandler"/> recorded on a response's request.</summary>
public static class NegotiateHttpResponses
{
    /// <summary>Where the handler records the authentication of a mutually authenticated response.</summary>
    public static readonly HttpRequestOptionsKey<NegotiateHttpAuthentication> AuthenticationKey = new("ActorAuth.Negotiate.Authentication");

    /// <summary>Where the handler records why no token could be sent (no ticket, unknown SPN…) when it returns the server's 401.</summary>
    public static readonly HttpRequestOptionsKey<string> FailureKey = new("ActorAuth.Negotiate.Failure");

    /// <summary>The authentication the server proved for this response, or null if the response was not authenticated (the server asked for none, or refused).</summary>
    public static NegotiateHttpAuthentication? GetNegotiateAuthentication(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.RequestMessage?.Options.TryGetValue(AuthenticationKey, out NegotiateHttpAuthentication? value) == true ? value : null;
    }

    /// <summary>Why the handler could not make a token for this (401) response's request, or null.</summary>
    public static string? GetNegotiateFailure(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.RequestMessage?.Options.TryGetValue(FailureKey, out string? value) == true ? value : null;
    }
}
