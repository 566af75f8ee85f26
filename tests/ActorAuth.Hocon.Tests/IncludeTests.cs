namespace ActorAuth.Hocon.Tests;

public sealed class IncludeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hocon-include-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string relativePath, string text)
    {
        var path = Path.Combine(_directory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Json(string path) => Hocon.ParseFile(path, _ => null).ToString();

    [Fact]
    public void Included_fields_are_merged_in_place()
    {
        Write("other.conf", "b = 2\nc { x = 1 }");
        var main = Write("main.conf", "a = 1\ninclude \"other.conf\"\nc { y = 2 }");
        Assert.Equal("""{"a":1,"b":2,"c":{"x":1,"y":2}}""", Json(main));
    }

    [Fact]
    public void Included_value_overrides_an_earlier_key()
    {
        Write("other.conf", "a = included");
        var main = Write("main.conf", "a = main\ninclude \"other.conf\"");
        Assert.Equal("""{"a":"included"}""", Json(main));
    }

    [Fact]
    public void Later_key_overrides_an_included_value()
    {
        Write("other.conf", "a = included");
        var main = Write("main.conf", "include \"other.conf\"\na = main");
        Assert.Equal("""{"a":"main"}""", Json(main));
    }

    [Fact]
    public void File_syntax_includes_the_file()
    {
        Write("other.conf", "b = 2");
        var main = Write("main.conf", "include file( \"other.conf\" )");
        Assert.Equal("""{"b":2}""", Json(main));
    }

    [Fact]
    public void Missing_optional_include_is_ignored()
    {
        var main = Write("main.conf", "include \"absent.conf\"\na = 1");
        Assert.Equal("""{"a":1}""", Json(main));
    }

    [Fact]
    public void Missing_required_include_is_an_error()
    {
        var main = Write("main.conf", "a = 1\ninclude required(file(\"absent.conf\"))");
        var error = Assert.Throws<HoconException>(() => Json(main));
        Assert.StartsWith($"{main}:2:1: required include 'absent.conf' was not found (looked for {Path.Combine(_directory, "absent.conf")})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Required_include_of_existing_file_is_loaded()
    {
        Write("other.conf", "b = 2");
        var main = Write("main.conf", "include required(\"other.conf\")");
        Assert.Equal("""{"b":2}""", Json(main));
    }

    [Fact]
    public void Nested_include_resolves_relative_to_the_including_file()
    {
        Write("conf.d/inner.conf", "x = inner");
        Write("conf.d/outer.conf", "include \"inner.conf\"");
        var main = Write("main.conf", "include \"conf.d/outer.conf\"");
        Assert.Equal("""{"x":"inner"}""", Json(main));
    }

    [Fact]
    public void Include_inside_an_object_places_fields_beneath_it()
    {
        Write("foo.conf", "{ x : 10, y : ${x} }");
        var main = Write("main.conf", "a : { include \"foo.conf\" }");
        Assert.Equal("""{"a":{"x":10,"y":10}}""", Json(main));
    }

    [Fact]
    public void Substitution_in_included_file_is_fixed_up_to_see_overrides()
    {
        Write("foo.conf", "{ x : 10, y : ${x} }");
        var main = Write("main.conf", "a : { include \"foo.conf\" }\na : { x : 42 }");
        Assert.Equal("""{"a":{"x":42,"y":42}}""", Json(main));
    }

    [Fact]
    public void Substitution_in_included_file_falls_back_to_the_root()
    {
        Write("foo.conf", "y : ${top}");
        var main = Write("main.conf", "top = 7\na { include \"foo.conf\" }");
        Assert.Equal("""{"a":{"y":7},"top":7}""", Json(main));
    }

    [Fact]
    public void Name_without_extension_loads_json_then_conf()
    {
        Write("defaults.json", """{ "a" : "json", "b" : "json" }""");
        Write("defaults.conf", "b = conf");
        var main = Write("main.conf", "include \"defaults\"");
        Assert.Equal("""{"a":"json","b":"conf"}""", Json(main));
    }

    [Fact]
    public void Include_cycle_is_an_error()
    {
        Write("b.conf", "include \"a.conf\"");
        var a = Write("a.conf", "include \"b.conf\"");
        Assert.Contains("include cycle", Assert.Throws<HoconException>(() => Json(a)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_in_included_file_names_that_file()
    {
        var other = Write("other.conf", "x = [1");
        var main = Write("main.conf", "include \"other.conf\"");
        Assert.StartsWith($"{other}:1:7: expected ']'", Assert.Throws<HoconException>(() => Json(main)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Url_include_is_rejected()
    {
        var main = Write("main.conf", "include url(\"http://example.com/a.conf\")");
        Assert.Contains("is not supported", Assert.Throws<HoconException>(() => Json(main)).Message, StringComparison.Ordinal);
    }
}
