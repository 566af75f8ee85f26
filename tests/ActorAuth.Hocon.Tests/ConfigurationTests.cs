using Microsoft.Extensions.Configuration;

namespace ActorAuth.Hocon.Tests;

public sealed class ConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hocon-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static IConfigurationRoot FromString(string text) => new ConfigurationBuilder().AddHoconString(text).Build();

    [Fact]
    public void Nested_keys_map_to_colon_separated_paths()
    {
        var configuration = FromString("actorauth.server { port = 88, host = \"0.0.0.0\" }");
        Assert.Equal("88", configuration["actorauth:server:port"]);
        Assert.Equal("0.0.0.0", configuration["ActorAuth:Server:Host"]);
    }

    [Fact]
    public void Array_elements_map_to_indexed_keys()
    {
        var configuration = FromString("realms = [ EXAMPLE.COM, { name = TEST } ]");
        Assert.Equal("EXAMPLE.COM", configuration["realms:0"]);
        Assert.Equal("TEST", configuration["realms:1:name"]);
    }

    [Fact]
    public void Scalars_keep_their_hocon_spelling()
    {
        var configuration = FromString("a = on\nb = true\nc = 1e3\nd = null");
        Assert.Equal("on", configuration["a"]);
        Assert.Equal("true", configuration["b"]);
        Assert.Equal("1e3", configuration["c"]);
        Assert.Null(configuration["d"]);
    }

    [Fact]
    public void Array_binds_to_a_list()
    {
        var configuration = FromString("ports = [88, 750]");
        Assert.Equal(["88", "750"], configuration.GetSection("ports").Get<string[]>()!);
    }

    [Fact]
    public void Keys_differing_only_in_case_are_rejected()
    {
        var error = Assert.Throws<HoconException>(() => FromString("a { Port = 1, port = 2 }"));
        Assert.Contains("'a.Port' and 'a.port' differ only in letter case", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hocon_file_is_loaded_with_includes_relative_to_it()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "conf"));
        File.WriteAllText(Path.Combine(_directory, "conf", "kdc.conf"), "kdc.port = 88");
        File.WriteAllText(Path.Combine(_directory, "conf", "main.conf"), "include \"kdc.conf\"\nkdc.realm = EXAMPLE.COM");
        var configuration = new ConfigurationBuilder().AddHoconFile(Path.Combine(_directory, "conf", "main.conf")).Build();
        Assert.Equal("88", configuration["kdc:port"]);
        Assert.Equal("EXAMPLE.COM", configuration["kdc:realm"]);
    }

    [Fact]
    public void Relative_file_path_resolves_against_the_builder_base_path()
    {
        File.WriteAllText(Path.Combine(_directory, "app.conf"), "a = 1");
        var configuration = new ConfigurationBuilder().SetBasePath(_directory).AddHoconFile("app.conf").Build();
        Assert.Equal("1", configuration["a"]);
    }

    [Fact]
    public void Optional_missing_file_yields_no_keys()
    {
        var configuration = new ConfigurationBuilder().AddHoconFile(Path.Combine(_directory, "absent.conf"), optional: true).Build();
        Assert.Empty(configuration.AsEnumerable());
    }

    [Fact]
    public void Required_missing_file_throws()
    {
        Assert.Throws<FileNotFoundException>(() => new ConfigurationBuilder().AddHoconFile(Path.Combine(_directory, "absent.conf")).Build());
    }

    [Fact]
    public void Invalid_file_reports_file_line_and_column()
    {
        var path = Path.Combine(_directory, "bad.conf");
        File.WriteAllText(path, "a = 1\nb = [");
        var error = Assert.Throws<InvalidDataException>(() => new ConfigurationBuilder().AddHoconFile(path).Build());
        Assert.StartsWith($"{path}:2:6: expected ']'", Assert.IsType<HoconException>(error.InnerException).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_source_uses_the_injected_environment_lookup()
    {
        var path = Path.Combine(_directory, "env.conf");
        File.WriteAllText(path, "port = 88\nport = ${?KDC_PORT}");
        var configuration = new ConfigurationBuilder().AddHoconFile(source =>
        {
            source.Path = path;
            source.ResolveFileProvider();
            source.EnvironmentLookup = name => name == "KDC_PORT" ? "1088" : null;
        }).Build();
        Assert.Equal("1088", configuration["port"]);
    }

    [Fact]
    public void Stream_source_is_loaded()
    {
        using var stream = new MemoryStream("a.b = 1"u8.ToArray());
        Assert.Equal("1", new ConfigurationBuilder().AddHoconStream(stream).Build()["a:b"]);
    }

    [Fact]
    public void Later_sources_override_hocon_values()
    {
        var configuration = new ConfigurationBuilder()
            .AddHoconString("a = 1")
            .AddInMemoryCollection(new Dictionary<string, string?> { ["a"] = "2" })
            .Build();
        Assert.Equal("2", configuration["a"]);
    }

    [Fact]
    public void Get_duration_parses_the_value()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), FromString("kdc.timeout = 30s").GetDuration("kdc:timeout", TimeSpan.Zero));
    }

    [Fact]
    public void Get_duration_returns_the_default_when_unset()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), FromString("a = 1").GetDuration("kdc:timeout", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Get_duration_error_names_the_key_and_value()
    {
        var error = Assert.Throws<FormatException>(() => FromString("kdc.timeout = 5 sec").GetSection("kdc").GetDuration("timeout", TimeSpan.Zero));
        Assert.StartsWith("configuration setting 'kdc:timeout': '5 sec' is not a valid duration: unknown unit 'sec'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_byte_size_parses_the_value()
    {
        Assert.Equal(512L * 1024, FromString("max-message = 512K").GetByteSize("max-message", 0));
    }

    [Fact]
    public void Get_byte_size_error_names_the_key_and_value()
    {
        var error = Assert.Throws<FormatException>(() => FromString("max = lots").GetByteSize("max", 0));
        Assert.StartsWith("configuration setting 'max': 'lots' is not a valid size in bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_boolean_accepts_on()
    {
        Assert.True(FromString("tls = on").GetBoolean("tls", false));
    }

    [Fact]
    public void Get_boolean_error_names_the_key_and_value()
    {
        var error = Assert.Throws<FormatException>(() => FromString("tls = maybe").GetBoolean("tls", false));
        Assert.Equal("configuration setting 'tls': 'maybe' is not a valid boolean; use true/false, yes/no or on/off", error.Message);
    }
}
