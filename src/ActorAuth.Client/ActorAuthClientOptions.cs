using System.Net;
using System.Net.Security;
using System.Security.Principal;
using ActorAuth.Protocol;
using ActorAuth.Security;

namespace ActorAuth.Client;

/// <summary>How <see cref="ActorAuthClient"/> authenticates.</summary>
public sealed record ActorAuthClientOptions
{
    /// <summary>The wire dialect the server's listener speaks: sockauth (default), negotiate-stream or gss-sample.</summary>
    public WireDialect Dialect { get; init; } = WireDialect.Sockauth;

    /// <summary>
    /// The server is a stock implementation of the dialect, not ActorAuth: no greeting, and a request is the raw
    /// message — a NegotiateStream echo server or MIT's gss-server. Not for sockauth, which is ActorAuth's own.
    /// </summary>
    public bool StockServer { get; init; }

    /// <summary>Negotiate (default) or Kerberos; must match what the server accepts.</summary>
    public string Package { get; init; } = SecurityPackages.Negotiate;

    /// <summary>A user name and password (a ticket is requested from the KDC), or null to use the ticket cache (<c>KRB5CCNAME</c>).</summary>
    public NetworkCredential? Credential { get; init; }

    /// <summary>
    /// A credential acquired once (<see cref="ClientCredential.Acquire"/>) and shared by every connection made with
    /// these options: the tickets are read once instead of per connection — for a client that connects often. When
    /// set, the package and provider are the credential's, and <see cref="Credential"/> must be null.
    /// </summary>
    public ClientCredential? SharedCredential { get; init; }

    /// <summary>The protection the session must have: EncryptAndSign (default) or Sign.</summary>
    public ProtectionLevel ProtectionLevel { get; init; } = ProtectionLevel.EncryptAndSign;

    /// <summary>How far the service may act as the client; Identification by default.</summary>
    public TokenImpersonationLevel ImpersonationLevel { get; init; } = TokenImpersonationLevel.Identification;

    /// <summary>The implementation of the security package; <see cref="SecurityProvider.Auto"/> picks the best available.</summary>
    public SecurityProvider Provider { get; init; } = SecurityProvider.Auto;

    /// <summary>Largest handshake frame the client accepts from the server.</summary>
    public int MaxFrameLength { get; init; } = FrameCodec.DefaultMaxFrameLength;

    /// <summary>Largest message (reply plaintext) the client accepts; the server's default is the same 1 MiB.</summary>
    public int MaxMessageLength { get; init; } = 1024 * 1024;

    /// <summary>
    /// Limit on the TCP connect — to each instance in turn when connecting to a discovered service, so it is also how
    /// long a node that does not answer delays the move to the next. 5 s: Linux retransmits an unanswered SYN after
    /// 1 s and 3 s, so two lost SYNs on a healthy path still connect, while a dead host costs 5 s, not the kernel's
    /// two minutes. A stopped node on a live host refuses at once and costs nothing.
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Limit on the whole handshake once connected (a discovered service's next instance is tried after it).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The address to connect from (e.g. 127.0.0.2, to be another client on loopback); null: the OS chooses.</summary>
    public IPAddress? LocalAddress { get; init; }
}
