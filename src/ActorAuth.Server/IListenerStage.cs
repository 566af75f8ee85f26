using System.Net;
using ActorAuth.Security;
using ActorAuth.Server.Metrics;
using ActorAuth.Server.Sessions;
using Akka.Actor;
using Akka.Streams;

namespace ActorAuth.Server;

/// <summary>
/// One listener's transport as the server drives it: bound before the directory step (a failed bind fails start-up),
/// accepting from <see cref="StartAccepting"/>, then stopped in three steps that mirror CoordinatedShutdown's phases.
/// The TCP kinds are <see cref="Tcp.TcpStage"/>; <c>http</c> is <see cref="Http.HttpStage"/>.
/// </summary>
internal interface IListenerStage : IAsyncDisposable
{
    /// <summary>The listener's name.</summary>
    string Listener { get; }

    /// <summary>The listener's view of the metrics.</summary>
    ServerMetrics Metrics { get; }

    /// <summary>The address and port actually bound.</summary>
    IPEndPoint EndPoint { get; }

    /// <summary>The per-address connection rate's buckets (null when off), which a cluster's other nodes charge.</summary>
    Tcp.AddressRateLimiter? RateLimiter { get; }

    /// <summary>From now on new connections' handshakes go to <paramref name="supervisor"/>.</summary>
    void StartAccepting(IActorRef supervisor, SessionSettings settings, ServerCredential credential, IMaterializer materializer);

    /// <summary>Stops accepting new connections.</summary>
    Task StopAcceptingAsync();

    /// <summary>After the actors stopped, closes what no actor owns; returns how many were still open at the end.</summary>
    Task<int> CloseRemainingAsync(TimeSpan timeout);
}
