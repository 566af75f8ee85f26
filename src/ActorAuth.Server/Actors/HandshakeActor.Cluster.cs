using System.Diagnostics.CodeAnalysis;
using ActorAuth.Security;
using ActorAuth.Security.Kerberos;
using ActorAuth.Server.Cluster;
using ActorAuth.Server.Tcp;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Server.Actors;

/// <summary>The handshake's cluster checks: the replay cache before a token with a Kerberos authenticator is accepted, revocation once it is.</summary>
public sealed partial class HandshakeActor
{
    private FrameReceived? _awaitingCheck;

    /// <summary>
    /// With the cluster on, a token that carries an AP-REQ (first leg or a later SPNEGO one) waits for the cluster's
    /// replay check before the package sees it; true while it waits, or when the token was refused. A token whose
    /// DER the strict reader refuses is refused here: MIT decodes more loosely, so a re-encoded copy of a captured
    /// AP-REQ must not slip past the cluster's check. MIT's own replay cache still checks what is accepted, as a
    /// second line.
    /// </summary>
    private bool AwaitsReplayCheck(FrameReceived frame)
    {
        if (_settings.Cluster?.ReplayCache is not { } cache)
        {
            return false;
        }

        switch (ReplayTag.TryCompute(frame.Payload, out ReplayTag tag))
        {
            case ApReqStatus.Found:
                _awaitingCheck = frame;
                cache.Tell(new CheckToken(tag, _settings.Options.ServicePrincipal), Self);
                return true;
            case ApReqStatus.Malformed:
                Fail(TeardownReason.InvalidToken, "the token is not well-formed DER, so the cluster's replay check cannot read its AP-REQ");
                return true;
            default:
                return false;
        }
    }

    private void OnReplayChecked(TokenChecked check)
    {
        if (_awaitingCheck is not { } frame || _state is HandshakeState.Completed or HandshakeState.Failed)
        {
            return;
        }

        _awaitingCheck = null;
        switch (check.Result)
        {
            case TokenCheck.Fresh:
                AcceptToken(_context!, frame);
                break;
            case TokenCheck.Replayed:
                Fail(TeardownReason.Replay, $"the token's Kerberos authenticator was seen before in the cluster ({check.Detail})");
                break;
            case TokenCheck.Unavailable when _settings.Cluster!.Settings.WhenUnavailable == ReplayUnavailablePolicy.Accept:
                _settings.Cluster.Metrics.AcceptedUnchecked();
                _log.LogWarning("conn {ConnectionId} {Remote} accepted without the cluster's replay check ({Detail}); MIT's local replay cache alone checks it (replay-cache.when-unavailable = accept)",
                    _connection.Id, _connection.RemoteEndPoint, check.Detail);
                AcceptToken(_context!, frame);
                break;
            default:
                Fail(TeardownReason.ClusterUnavailable, $"the cluster's replay check did not answer: {check.Detail}");
                break;
        }
    }

    /// <summary>True when an operator revoked the context's client: its handshakes are refused until the revocation ends.</summary>
    private bool IsRevoked(ServerSecurityContext context, [NotNullWhen(true)] out string? detail)
    {
        if (_settings.Cluster?.Revocations is { } revocations && revocations.IsRevoked(context.ClientPrincipal, out long until))
        {
            detail = $"{context.ClientPrincipal} is revoked until {DateTimeOffset.FromUnixTimeMilliseconds(until):u}";
            return true;
        }

        detail = null;
        return false;
    }
}
