using System.Net;
using ActorAuth.Protocol;
using ActorAuth.Security;
using ActorAuth.Server.Dialects;
using ActorAuth.Server.Tcp;
using Akka.Actor;

namespace ActorAuth.Server.Actors;

/// <summary>
/// What the <see cref="HandshakeActor"/> needs of the wire its tokens travel on: a TCP connection
/// (<see cref="Tcp.ClientConnection"/>), or the HTTP requests of one connection that carry one context's tokens in
/// their headers (<see cref="Http.HttpHandshakeChannel"/>). The handshake loop is the same for both.
/// </summary>
public interface IHandshakeChannel
{
    /// <summary>The server-wide sequence number, shown in every log line about it.</summary>
    long Id { get; }

    /// <summary>The client's address and port.</summary>
    EndPoint? RemoteEndPoint { get; }

    /// <summary>How long one send may wait for the client to read.</summary>
    TimeSpan SendTimeout { get; }

    /// <summary>Delivers the client's next token to <paramref name="owner"/> as one <see cref="Tcp.ConnectionEvent"/>; one request outstanding at a time.</summary>
    void RequestFrame(IActorRef owner, int maxFrameLength, FrameFormat format);

    /// <summary>Sends one answer of the dialect to the client.</summary>
    ValueTask<SendResult> SendFrameAsync(OutgoingFrame frame);

    /// <summary>Queues the handshake's last token to go out with what follows.</summary>
    void QueueFrame(OutgoingFrame frame);

    /// <summary>Parks the completed context while its ownership moves on, so a lost handoff is still disposed.</summary>
    void ParkForHandoff(ServerSecurityContext context);

    /// <summary>
    /// The handshake completed: hands the context on. A TCP connection has <paramref name="supervisor"/> start its
    /// session actor; an HTTP channel gives it to the request that carried the last token, which is served with it.
    /// </summary>
    void Authenticated(HandshakeSucceeded succeeded, IActorRef supervisor);

    /// <summary>Ends the handshake's use of the channel with a reason; logged once, later calls do nothing.</summary>
    void Shutdown(string phase, TeardownReason reason, string detail, string? principal = null);
}
