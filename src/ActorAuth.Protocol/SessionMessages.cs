using System.Buffers;
using System.Text;

namespace ActorAuth.Protocol;

/// <summary>The outcome a reply reports, in its first plaintext byte.</summary>
public enum ReplyStatus : byte
{
    /// <summary>The handler ran; the body is its reply.</summary>
    Ok = 0,

    /// <summary>The access check refused the operation for this client; the body is a UTF-8 reason.</summary>
    Denied = 1,

    /// <summary>No handler serves the operation; the body is a UTF-8 reason.</summary>
    UnknownOperation = 2,

    /// <summary>The handler failed; the body is a UTF-8 reason (no internals).</summary>
    Failed = 3,
}

/// <summary>
/// The plaintext inside the data phase's wrap tokens (see docs/PROTOCOL.md). Pure: no I/O.
/// <code>
/// request:  op-length (1 byte, 0..255) | operation (ASCII, op-length bytes; empty = the listener's default) | body
/// reply:    status (1 byte, ReplyStatus) | body
/// </code>
/// </summary>
public static class SessionMessages
{
    /// <summary>The longest operation name a request can carry.</summary>
    public const int MaxOperationLength = byte.MaxValue;

    /// <summary>Writes a request's plaintext.</summary>
    /// <exception cref="ArgumentException">The operation is longer than 255 bytes or not printable ASCII.</exception>
    public static void WriteRequest(IBufferWriter<byte> writer, string operation, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.Length > MaxOperationLength || !IsOperationName(operation))
        {
            throw new ArgumentException($"An operation name is up to {MaxOperationLength} printable ASCII characters without spaces; got '{operation}'.", nameof(operation));
        }

        Span<byte> span = writer.GetSpan(1 + operation.Length + body.Length);
        span[0] = (byte)operation.Length;
        Encoding.ASCII.GetBytes(operation, span[1..]);
        body.CopyTo(span[(1 + operation.Length)..]);
        writer.Advance(1 + operation.Length + body.Length);
    }

    /// <summary>Reads a request's plaintext; false (with a reason) if it is malformed.</summary>
    public static bool TryReadRequest(ReadOnlyMemory<byte> plaintext, out string operation, out ReadOnlyMemory<byte> body, out string error)
    {
        operation = string.Empty;
        body = default;
        error = string.Empty;
        if (plaintext.IsEmpty)
        {
            error = "the request is empty: it must start with the operation name's length";
            return false;
        }

        int length = plaintext.Span[0];
        if (plaintext.Length < 1 + length)
        {
            error = $"the request declares an operation name of {length} bytes but holds {plaintext.Length - 1}";
            return false;
        }

        // Checked as bytes: decoding first would turn bytes >= 0x80 into '?', which passes as printable.
        ReadOnlySpan<byte> name = plaintext.Span.Slice(1, length);
        if (name.IndexOfAnyExceptInRange((byte)'!', (byte)'~') >= 0)
        {
            error = "the operation name is not printable ASCII";
            return false;
        }

        operation = Encoding.ASCII.GetString(name);

        body = plaintext[(1 + length)..];
        return true;
    }

    /// <summary>Writes a reply's plaintext.</summary>
    public static void WriteReply(IBufferWriter<byte> writer, ReplyStatus status, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> span = writer.GetSpan(1 + body.Length);
        span[0] = (byte)status;
        body.CopyTo(span[1..]);
        writer.Advance(1 + body.Length);
    }

    /// <summary>Reads a reply's plaintext; false if it is empty or its status unknown.</summary>
    public static bool TryReadReply(ReadOnlyMemory<byte> plaintext, out ReplyStatus status, out ReadOnlyMemory<byte> body)
    {
        status = default;
        body = default;
        if (plaintext.IsEmpty || !Enum.IsDefined((ReplyStatus)plaintext.Span[0]))
        {
            return false;
        }

        status = (ReplyStatus)plaintext.Span[0];
        body = plaintext[1..];
        return true;
    }

    private static bool IsOperationName(string operation)
    {
        foreach (char c in operation)
        {
            if (c is <= ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
