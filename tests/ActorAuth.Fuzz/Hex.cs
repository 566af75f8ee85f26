namespace ActorAuth.Fuzz;

/// <summary>Hex for failure messages, so a failing input can be pasted back into a test.</summary>
internal static class Hex
{
    /// <summary>Lower-case hex of <paramref name="bytes"/>, cut after <paramref name="max"/> bytes with a note.</summary>
    public static string Of(ReadOnlySpan<byte> bytes, int max = 4096) =>
        bytes.Length <= max
            ? Convert.ToHexStringLower(bytes)
            : Convert.ToHexStringLower(bytes[..max]) + $"…(+{bytes.Length - max} bytes)";
}
