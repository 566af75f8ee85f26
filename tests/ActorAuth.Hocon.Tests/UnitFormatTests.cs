namespace ActorAuth.Hocon.Tests;

public class UnitFormatTests
{
    public static TheoryData<string, long> Durations => new()
    {
        { "250", 250 * TimeSpan.TicksPerMillisecond },
        { "1500ns", 15 },
        { "1 nanosecond", 0 },
        { "10us", 100 },
        { "3 micros", 30 },
        { "5ms", 5 * TimeSpan.TicksPerMillisecond },
        { "7 millis", 7 * TimeSpan.TicksPerMillisecond },
        { "30s", 30 * TimeSpan.TicksPerSecond },
        { "1 second", TimeSpan.TicksPerSecond },
        { " 1.5 seconds ", 15 * TimeSpan.TicksPerSecond / 10 },
        { "2m", 2 * TimeSpan.TicksPerMinute },
        { "10 minutes", 10 * TimeSpan.TicksPerMinute },
        { "1h", TimeSpan.TicksPerHour },
        { "2 hours", 2 * TimeSpan.TicksPerHour },
        { "1d", TimeSpan.TicksPerDay },
        { "7 days", 7 * TimeSpan.TicksPerDay },
        { "-5s", -5 * TimeSpan.TicksPerSecond },
    };

    public static TheoryData<string, long> Sizes => new()
    {
        { "4096", 4096 },
        { "10B", 10 },
        { "10 bytes", 10 },
        { "1kB", 1000 },
        { "1 kilobyte", 1000 },
        { "1K", 1024 },
        { "1k", 1024 },
        { "1Ki", 1024 },
        { "1KiB", 1024 },
        { "2 kibibytes", 2048 },
        { "1MB", 1_000_000 },
        { "1M", 1L << 20 },
        { "1MiB", 1L << 20 },
        { "1GB", 1_000_000_000 },
        { "1G", 1L << 30 },
        { "1 GiB", 1L << 30 },
        { "1TB", 1_000_000_000_000 },
        { "1T", 1L << 40 },
        { "1.5K", 1536 },
        { "1 EiB", 1L << 60 },
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void Duration_units_follow_the_spec(string text, long ticks)
    {
        Assert.Equal(TimeSpan.FromTicks(ticks), HoconDuration.Parse(text));
    }

    [Theory]
    [InlineData("5 sec", "unknown unit 'sec'")]
    [InlineData("5S", "unknown unit 'S'")]
    [InlineData("fast", "expected a number")]
    [InlineData("", "expected a number")]
    public void Invalid_duration_explains_the_problem(string text, string expected)
    {
        Assert.Contains(expected, Assert.Throws<FormatException>(() => HoconDuration.Parse(text)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Size_units_follow_the_spec(string text, long bytes)
    {
        Assert.Equal(bytes, HoconSize.Parse(text));
    }

    [Theory]
    [InlineData("1KB", "unknown unit 'KB'")]
    [InlineData("1 mb", "unknown unit 'mb'")]
    [InlineData("-1K", "must not be negative")]
    [InlineData("1ZB", "too large")]
    [InlineData("16EiB", "too large")]
    public void Invalid_size_explains_the_problem(string text, string expected)
    {
        Assert.Contains(expected, Assert.Throws<FormatException>(() => HoconSize.Parse(text)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("True", true)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    public void Boolean_accepts_the_six_spec_spellings(string text, bool expected)
    {
        Assert.Equal(expected, HoconBoolean.Parse(text));
    }

    [Fact]
    public void Invalid_boolean_lists_the_valid_spellings()
    {
        Assert.Equal("'enabled' is not a valid boolean; use true/false, yes/no or on/off",
            Assert.Throws<FormatException>(() => HoconBoolean.Parse("enabled")).Message);
    }
}
