namespace ActorAuth.Protocol;

/// <summary>The wire dialect of a connection (a listener's kind, a client's <c>--dialect</c>); every dialect carries the same package tokens and protection.</summary>
public enum WireDialect
{
    /// <summary>ActorAuth's own framing (the SSPI sockauth sample's): 4-byte length-prefixed tokens, a greeting, requests and replies.</summary>
    Sockauth,

    /// <summary>.NET's NegotiateStream ([MS-NNS]): its handshake messages, then one data frame per request and per reply.</summary>
    NegotiateStream,

    /// <summary>MIT's gss-sample protocol (gss-client/gss-server): flagged tokens, wrapped messages answered with a MIC.</summary>
    GssSample,

    /// <summary>HTTP with Negotiate in its headers (RFC 4559): the seed's httpauth. A server listener kind; clients use <c>actorauth http get</c>.</summary>
    Http,
}

/// <summary>How configuration and the command line name a dialect.</summary>
public static class WireDialects
{
    /// <summary>The kind's configuration name: <c>sockauth</c>, <c>negotiate-stream</c> or <c>gss-sample</c>.</summary>
    public static string Name(this WireDialect kind) => kind switch
    {
        WireDialect.NegotiateStream => "negotiate-stream",
        WireDialect.GssSample => "gss-sample",
        WireDialect.Http => "http",
        _ => "sockauth",
    };

    /// <summary>Parses a configured kind name.</summary>
    /// <exception cref="FormatException">Not one of the three names.</exception>
    public static WireDialect Parse(string value, string key) => value.ToLowerInvariant() switch
    {
        "sockauth" => WireDialect.Sockauth,
        "negotiate-stream" => WireDialect.NegotiateStream,
        "gss-sample" => WireDialect.GssSample,
        "http" => WireDialect.Http,
        _ => throw new FormatException($"{key}: '{value}' is not one of: sockauth, negotiate-stream, gss-sample, http."),
    };
}
