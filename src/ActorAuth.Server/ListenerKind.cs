namespace ActorAuth.Server;

/// <summary>The wire dialect a listener speaks; every kind carries the same package tokens and protection.</summary>
public enum ListenerKind
{
    /// <summary>ActorAuth's own framing (the SSPI sockauth sample's): 4-byte length-prefixed tokens, a greeting, requests and replies.</summary>
    Sockauth,

    /// <summary>.NET's NegotiateStream ([MS-NNS]): its handshake messages, then one data frame per request and per reply.</summary>
    NegotiateStream,

    /// <summary>MIT's gss-sample protocol (gss-client/gss-server): flagged tokens, wrapped messages answered with a MIC.</summary>
    GssSample,
}

/// <summary>How configuration and the command line name a listener kind.</summary>
public static class ListenerKinds
{
    /// <summary>The kind's configuration name: <c>sockauth</c>, <c>negotiate-stream</c> or <c>gss-sample</c>.</summary>
    public static string Name(this ListenerKind kind) => kind switch
    {
        ListenerKind.NegotiateStream => "negotiate-stream",
        ListenerKind.GssSample => "gss-sample",
        _ => "sockauth",
    };

    /// <summary>Parses a configured kind name.</summary>
    /// <exception cref="FormatException">Not one of the three names.</exception>
    public static ListenerKind Parse(string value, string key) => value.ToLowerInvariant() switch
    {
        "sockauth" => ListenerKind.Sockauth,
        "negotiate-stream" => ListenerKind.NegotiateStream,
        "gss-sample" => ListenerKind.GssSample,
        _ => throw new FormatException($"{key}: '{value}' is not one of: sockauth, negotiate-stream, gss-sample."),
    };
}
