using System.Formats.Asn1;

namespace ActorAuth.Security.Kerberos;

/// <summary>
/// A forward-only DER reader over a span, built on <see cref="AsnDecoder.TryReadEncodedValue"/>: it never throws,
/// never allocates and never trusts a declared length (a value whose length runs past the bytes fails), so it can
/// walk hostile tokens. Every read returns false on anything that is not exactly the expected DER.
/// </summary>
internal ref struct DerReader(ReadOnlySpan<byte> source)
{
    private ReadOnlySpan<byte> _rest = source;

    /// <summary>True while bytes are left.</summary>
    public readonly bool HasData => !_rest.IsEmpty;

    /// <summary>The bytes not read yet.</summary>
    public readonly ReadOnlySpan<byte> Rest => _rest;

    /// <summary>Reads the next value, whatever its tag: its tag and contents.</summary>
    public bool TryReadAny(out Asn1Tag tag, out ReadOnlySpan<byte> contents)
    {
        contents = default;
        if (!AsnDecoder.TryReadEncodedValue(_rest, AsnEncodingRules.DER, out tag, out int offset, out int length, out int consumed))
        {
            return false;
        }

        contents = _rest.Slice(offset, length);
        _rest = _rest[consumed..];
        return true;
    }

    /// <summary>Reads the next value if its tag is <paramref name="expected"/>: its contents.</summary>
    public bool TryRead(Asn1Tag expected, out ReadOnlySpan<byte> contents)
    {
        DerReader copy = this;
        if (copy.TryReadAny(out Asn1Tag tag, out contents) && tag == expected)
        {
            this = copy;
            return true;
        }

        contents = default;
        return false;
    }

    /// <summary>
    /// Reads <c>[number] EXPLICIT</c> holding exactly one value tagged <paramref name="inner"/>: that value's contents.
    /// </summary>
    public bool TryReadExplicit(int number, Asn1Tag inner, out ReadOnlySpan<byte> contents)
    {
        contents = default;
        DerReader copy = this;
        if (!copy.TryRead(Context(number), out ReadOnlySpan<byte> wrapped))
        {
            return false;
        }

        var reader = new DerReader(wrapped);
        if (!reader.TryRead(inner, out contents) || reader.HasData)
        {
            contents = default;
            return false;
        }

        this = copy;
        return true;
    }

    /// <summary>Reads <c>[number] EXPLICIT INTEGER</c> that fits <paramref name="value"/> (Int32 or UInt32, RFC 4120 §5.2.4).</summary>
    public bool TryReadExplicitInteger(int number, out long value)
    {
        value = 0;
        DerReader copy = this;
        if (!copy.TryReadExplicit(number, Asn1Tag.Integer, out ReadOnlySpan<byte> contents) || !TryDecodeInteger(contents, out value))
        {
            return false;
        }

        this = copy;
        return true;
    }

    /// <summary>True when the next value has tag <paramref name="tag"/> (false at the end).</summary>
    public readonly bool NextIs(Asn1Tag tag) =>
        Asn1Tag.TryDecode(_rest, out Asn1Tag next, out _) && next == tag;

    /// <summary>The constructed context-specific tag <c>[number]</c> of an EXPLICIT field.</summary>
    public static Asn1Tag Context(int number) => new(TagClass.ContextSpecific, number, isConstructed: true);

    /// <summary>
    /// A DER INTEGER's contents (minimal two's complement, at most 5 bytes: every Int32 and UInt32 of RFC 4120).
    /// AsnDecoder's integer readers throw on a non-minimal encoding; this returns false.
    /// </summary>
    private static bool TryDecodeInteger(ReadOnlySpan<byte> contents, out long value)
    {
        value = 0;
        if (contents.IsEmpty || contents.Length > 5)
        {
            return false;
        }

        // DER: no leading 00 before a byte under 80, no leading FF before a byte from 80.
        if (contents.Length > 1 && ((contents[0] == 0x00 && contents[1] < 0x80) || (contents[0] == 0xFF && contents[1] >= 0x80)))
        {
            return false;
        }

        value = (sbyte)contents[0];
        for (int i = 1; i < contents.Length; i++)
        {
            value = (value << 8) | contents[i];
        }

        return value is >= int.MinValue and <= uint.MaxValue;
    }
}
