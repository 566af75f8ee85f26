using ActorAuth.Server.Actors;

namespace ActorAuth.Server.Http;

/// <summary>What one request's Negotiate token came to, as the request that carried it answers it.</summary>
internal abstract record NegotiateStep;

/// <summary>The context needs another leg: answer 401 with the server's token; the context stays bound to the connection.</summary>
internal sealed record ContinueStep(ReadOnlyMemory<byte> Token) : NegotiateStep;

/// <summary>Authenticated: serve the request with <see cref="Handshake"/>'s context, whose ownership moves to it, and send <see cref="FinalToken"/> with the answer.</summary>
internal sealed record AuthenticatedStep(HandshakeSucceeded Handshake, ReadOnlyMemory<byte>? FinalToken) : NegotiateStep;

/// <summary>The handshake failed for <see cref="Reason"/>; <see cref="Token"/> is the package's error token (a KRB-ERROR), if any.</summary>
internal sealed record FailedStep(TeardownReason Reason, ReadOnlyMemory<byte>? Token) : NegotiateStep;
