using System.Globalization;

namespace ActorAuth.Hocon;

/// <summary>The spec's "units format": optional whitespace, a number, optional whitespace, optional letters.</summary>
internal static class HoconUnitValue
{
    /// <summary>Splits <paramref name="text"/> into its number and unit; the unit is empty when absent.</summary>
    /// <exception cref="FormatException">There is no valid number.</exception>
    public static (decimal Number, string Unit) Split(string text, string what, string example)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var unitStart = trimmed.Length;
        while (unitStart > 0 && char.IsLetter(trimmed[unitStart - 1]))
        {
            unitStart--;
        }

        var numberText = trimmed[..unitStart].TrimEnd();
        if (!decimal.TryParse(numberText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number))
        {
            throw new FormatException($"'{text}' is not a valid {what}: expected a number optionally followed by a unit, e.g. '{example}'");
        }

        return (number, trimmed[unitStart..]);
    }
}
