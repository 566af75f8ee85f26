namespace ActorAuth.Hocon.Tests;

/// <summary>Parsing helpers that never consult the real process environment.</summary>
internal static class TestHocon
{
    public static HoconObject Parse(string text, IReadOnlyDictionary<string, string>? environment = null) =>
        Hocon.Parse(text, new HoconParseOptions { EnvironmentLookup = name => environment?.GetValueOrDefault(name) });

    /// <summary>Parses and renders as canonical JSON, for equivalence assertions.</summary>
    public static string Json(string text, IReadOnlyDictionary<string, string>? environment = null) =>
        Parse(text, environment).ToString();

    public static HoconException Error(string text) => Assert.Throws<HoconException>(() => Parse(text));
}
