namespace ActorAuth.Hocon;

/// <summary>
/// Parses HOCON byte sizes such as <c>512K</c>, <c>10 MB</c> or <c>4096</c> (a bare number is bytes).
/// Per the spec, <c>kB</c>/<c>MB</c>/<c>GB</c> are powers of 1000 and <c>K</c>/<c>KiB</c>/<c>M</c>/<c>MiB</c> powers of 1024.
/// </summary>
public static class HoconSize
{
    private static readonly Dictionary<string, decimal> Units = BuildUnits();

    /// <summary>Parses <paramref name="text"/> into a byte count; fractional bytes are truncated.</summary>
    /// <exception cref="FormatException">The text is not a number with an optional known unit, is negative, or exceeds a 64-bit count.</exception>
    public static long Parse(string text)
    {
        var (number, unit) = HoconUnitValue.Split(text, "size in bytes", "512MiB");
        if (!Units.TryGetValue(unit, out var multiplier))
        {
            throw new FormatException($"'{text}' is not a valid size in bytes: unknown unit '{unit}'; use B, kB/MB/GB/TB (powers of 1000) or K/M/G/T, KiB/MiB/GiB/TiB (powers of 1024), e.g. '512MiB'");
        }

        if (number < 0)
        {
            throw new FormatException($"'{text}' is not a valid size in bytes: it must not be negative");
        }

        try
        {
            return decimal.ToInt64(decimal.Truncate(number * multiplier));
        }
        catch (OverflowException)
        {
            throw new FormatException($"'{text}' is too large for a size in bytes (the maximum is {long.MaxValue} bytes)");
        }
    }

    private static Dictionary<string, decimal> BuildUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            [""] = 1m, ["B"] = 1m, ["b"] = 1m, ["byte"] = 1m, ["bytes"] = 1m,
        };
        (string Decimal, string Binary)[] prefixes =
            [("kilo", "kibi"), ("mega", "mebi"), ("giga", "gibi"), ("tera", "tebi"), ("peta", "pebi"), ("exa", "exbi"), ("zetta", "zebi"), ("yotta", "yobi")];
        for (var i = 0; i < prefixes.Length; i++)
        {
            var power = i + 1;

            // Decimal holds ~7.9e28, so even yotta/yobi (~1.2e24) stay exact; Parse then reports them as too large for a long.
            var thousand = Pow(1000m, power);
            var binary = Pow(1024m, power);
            var (decimalName, binaryName) = prefixes[i];
            var letter = char.ToUpperInvariant(decimalName[0]).ToString();
            units[(power == 1 ? "k" : letter) + "B"] = thousand;
            units[decimalName + "byte"] = thousand;
            units[decimalName + "bytes"] = thousand;
            foreach (var name in new[] { letter, letter.ToLowerInvariant(), letter + "i", letter + "iB", binaryName + "byte", binaryName + "bytes" })
            {
                units[name] = binary;
            }
        }

        return units;
    }

    private static decimal Pow(decimal value, int power)
    {
        var result = 1m;
        for (var i = 0; i < power; i++)
        {
            result *= value;
        }

        return result;
    }
}
