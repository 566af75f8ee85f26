using System.Buffers;
using ActorAuth.Protocol;
using ActorAuth.Security;
using ActorAuth.Server.Dialects;
using ActorAuth.Server.Tcp;

namespace ActorAuth.Server.Actors;

/// <summary>
/// The session of a gss-sample listener, as MIT's <c>gss-server</c> runs it (<c>sign_server</c>): each message is
/// a wrap token; the server unwraps it, hands the plaintext to the listener's default operation as a request (the
/// protocol has no reply, so the operation's answer is not sent), and answers with a MIC of the message when the
/// client asked for one (SEND_MIC), else with a NOOP. The client's NOOP ends the session. Unlike gss-server, a
/// message in the clear or below the listener's protection is refused, and an access denial closes the connection —
/// the only refusal this protocol can express.
/// </summary>
public sealed partial class SessionActor
{
    private void OnGssSampleMessage(FrameReceived frame)
    {
        var flags = (GssSampleFlags)frame.Kind;
        if (flags.HasFlag(GssSampleFlags.Noop))
        {
            End(TeardownReason.Closed, "the client ended the session (NOOP)");
            return;
        }

        if (!flags.HasFlag(GssSampleFlags.Wrapped))
        {
            End(TeardownReason.ProtectionRequirementsNotMet, $"a message in the clear (flags 0x{frame.Kind:x2}, no WRAPPED); this listener accepts protected messages only");
            return;
        }

        if (Unwrap(frame, out _, out bool belowRequired) is not { } plaintext)
        {
            return;
        }

        if (belowRequired)
        {
            End(TeardownReason.ProtectionRequirementsNotMet, "a signed-only message on a listener that requires encryption");
            return;
        }

        if (plaintext.WrittenCount > _settings.Options.MaxMessageLength)
        {
            End(TeardownReason.FrameTooLarge, $"a message of {plaintext.WrittenCount} bytes (maximum {_settings.Options.MaxMessageLength})");
            return;
        }

        _settings.Metrics.MessageReceived(plaintext.WrittenCount);
        ReadOnlyMemory<byte> message = plaintext.WrittenMemory;
        Then(HandleAsync(operation: "", message), result =>
        {
            (ReplyStatus status, ReadOnlyMemory<byte> reason) = result;
            if (status is ReplyStatus.Denied or ReplyStatus.UnknownOperation)
            {
                End(TeardownReason.AccessDenied, System.Text.Encoding.UTF8.GetString(reason.Span));
                return;
            }

            AnswerGssSampleMessage(message.Span, flags.HasFlag(GssSampleFlags.SendMic));
        });
    }

    /// <summary>Sends the MIC of <paramref name="message"/> (or a NOOP when none was asked for), then reads the next message.</summary>
    private void AnswerGssSampleMessage(ReadOnlySpan<byte> message, bool sendMic)
    {
        OutgoingFrame answer = new(FrameFormat.GssSample, (byte)GssSampleFlags.Noop, ReadOnlyMemory<byte>.Empty);
        if (sendMic)
        {
            var mic = new ArrayBufferWriter<byte>(64);
            SecurityStatus status = _context.GetMic(message, mic);
            if (status.IsError)
            {
                End(TeardownReasons.FromSecurityStatus(status.Code), $"could not sign the message: {status}");
                return;
            }

            answer = new(FrameFormat.GssSample, (byte)GssSampleFlags.Mic, mic.WrittenMemory);
        }

        Then(_connection.SendFrameAsync(answer), sent =>
        {
            if (sent == SendResult.Sent)
            {
                RequestNext();
                return;
            }

            (TeardownReason reason, string detail) = sent.Teardown(_connection, "answered a message");
            End(reason, detail);
        });
    }
}
