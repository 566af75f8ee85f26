namespace ActorAuth.Hocon.Tests;

public class SyntaxTests
{
    [Fact]
    public void Json_document_parses_to_the_same_tree()
    {
        const string json = """{ "a" : 1, "b" : [true, false, null], "c" : { "d" : "x\ty", "e" : -1.5e3 } }""";
        Assert.Equal("""{"a":1,"b":[true,false,null],"c":{"d":"x\ty","e":-1.5e3}}""", TestHocon.Json(json));
    }

    [Fact]
    public void Root_braces_are_optional()
    {
        Assert.Equal(TestHocon.Json("{ a : 1 }"), TestHocon.Json("a : 1"));
    }

    [Fact]
    public void Equals_and_colon_are_both_separators()
    {
        Assert.Equal(TestHocon.Json("a : 1, b : 2"), TestHocon.Json("a = 1, b = 2"));
    }

    [Fact]
    public void Separator_may_be_omitted_before_an_object()
    {
        Assert.Equal("""{"foo":{"b":1}}""", TestHocon.Json("\"foo\" { b = 1 }"));
    }

    [Fact]
    public void Hash_and_double_slash_start_comments()
    {
        Assert.Equal("""{"a":1,"b":"x#y//z"}""", TestHocon.Json("# comment\na = 1 // trailing\nb = \"x#y//z\" # after"));
    }

    [Fact]
    public void Newlines_replace_commas_between_fields()
    {
        Assert.Equal(TestHocon.Json("a = 1, b = 2"), TestHocon.Json("a = 1\nb = 2\n"));
    }

    [Theory]
    [InlineData("a = [1,2,3,]")]
    [InlineData("a = [1\n2\n3]")]
    [InlineData("a = [\n  1,\n  2,\n  3\n]")]
    public void Array_comma_rules_from_the_spec_give_the_same_array(string text)
    {
        Assert.Equal("""{"a":[1,2,3]}""", TestHocon.Json(text));
    }

    [Fact]
    public void Trailing_comma_in_an_object_is_ignored()
    {
        Assert.Equal("""{"a":{"b":1}}""", TestHocon.Json("a { b = 1, }"));
    }

    [Fact]
    public void Duplicate_object_keys_are_merged()
    {
        Assert.Equal(TestHocon.Json("""{ "foo" : { "a" : 42, "b" : 43 } }"""),
            TestHocon.Json("""{ "foo" : { "a" : 42 }, "foo" : { "b" : 43 } }"""));
    }

    [Fact]
    public void Intermediate_null_prevents_object_merge()
    {
        Assert.Equal("""{"foo":{"b":43}}""", TestHocon.Json("""{ "foo" : { "a" : 42 }, "foo" : null, "foo" : { "b" : 43 } }"""));
    }

    [Fact]
    public void Later_non_object_replaces_earlier_value()
    {
        Assert.Equal("""{"a":5}""", TestHocon.Json("a { x = 1 }\na = 5"));
    }

    [Fact]
    public void Dotted_key_expands_to_nested_objects()
    {
        Assert.Equal(TestHocon.Json("foo { bar { baz : 42 } }"), TestHocon.Json("foo.bar.baz : 42"));
    }

    [Fact]
    public void Dotted_keys_merge_with_each_other()
    {
        Assert.Equal(TestHocon.Json("a { x : 42, y : 43 }"), TestHocon.Json("a.x : 42, a.y : 43"));
    }

    [Fact]
    public void Quoted_key_segment_keeps_its_dot()
    {
        var root = TestHocon.Parse("foo.bar.\"hello.world\" = 1");
        Assert.Equal("1", ((HoconScalar)root.Find("foo.bar.\"hello.world\"")!).Value);
    }

    [Fact]
    public void Whitespace_inside_a_key_is_kept()
    {
        Assert.Equal(TestHocon.Json("\"a b c\" : 42"), TestHocon.Json("a b c : 42"));
    }

    [Theory]
    [InlineData("true : 42", """{"true":42}""")]
    [InlineData("3 : 42", """{"3":42}""")]
    [InlineData("3.14 : 42", """{"3":{"14":42}}""")]
    public void Keys_are_always_strings_and_numbers_split_on_dots(string text, string json)
    {
        Assert.Equal(json, TestHocon.Json(text));
    }

    [Fact]
    public void Include_is_an_ordinary_word_later_in_a_key_or_as_a_value()
    {
        Assert.Equal("""{"foo include":42,"v":"include","w":["include"]}""", TestHocon.Json("foo include : 42\nv = include\nw = [ include ]"));
    }

    [Fact]
    public void Quoted_include_is_an_ordinary_key()
    {
        Assert.Equal("""{"include":42}""", TestHocon.Json("{ \"include\" : 42 }"));
    }

    [Fact]
    public void Unquoted_values_concatenate_keeping_inner_whitespace()
    {
        var value = (HoconScalar)TestHocon.Parse("a =   foo  bar baz   ").Find("a")!;
        Assert.Equal("foo  bar baz", value.Value);
        Assert.Equal(HoconScalarKind.String, value.Kind);
    }

    [Fact]
    public void Quoted_and_unquoted_pieces_concatenate()
    {
        Assert.Equal("""{"a":"foo bar!"}""", TestHocon.Json("a = foo \"bar\"\"!\""));
    }

    [Fact]
    public void Single_values_keep_their_type()
    {
        var root = TestHocon.Parse("t = true\nn = null\nx = 10.5\ns = \"true\"\nu = yes");
        Assert.Equal(HoconScalarKind.Boolean, ((HoconScalar)root.Find("t")!).Kind);
        Assert.Equal(HoconScalarKind.Null, ((HoconScalar)root.Find("n")!).Kind);
        Assert.Equal(HoconScalarKind.Number, ((HoconScalar)root.Find("x")!).Kind);
        Assert.True(((HoconScalar)root.Find("s")!).IsQuoted);
        Assert.Equal(HoconScalarKind.String, ((HoconScalar)root.Find("u")!).Kind);
    }

    [Fact]
    public void Typed_values_in_a_concatenation_become_their_written_text()
    {
        Assert.Equal("""{"a":"true 1e5 null"}""", TestHocon.Json("a = true 1e5 null"));
    }

    [Fact]
    public void Array_elements_separated_only_by_spaces_concatenate()
    {
        Assert.Equal("""{"a":["1 2 3 4"]}""", TestHocon.Json("a = [ 1 2 3 4 ]"));
    }

    [Fact]
    public void Quoted_strings_decode_json_escapes()
    {
        Assert.Equal("q\"b\\s/n\nt\tu\u00e9", ((HoconScalar)TestHocon.Parse("""a = "q\"b\\s\/n\nt\tu\u00e9" """).Find("a")!).Value);
    }

    [Fact]
    public void Triple_quoted_string_spans_lines_without_escapes()
    {
        var text = "a = \"\"\"line one\n  \"quoted\" \\n raw\"\"\"";
        Assert.Equal("line one\n  \"quoted\" \\n raw", ((HoconScalar)TestHocon.Parse(text).Find("a")!).Value);
    }

    [Fact]
    public void Extra_closing_quotes_belong_to_a_triple_quoted_string()
    {
        Assert.Equal("foo\"", ((HoconScalar)TestHocon.Parse("a = \"\"\"foo\"\"\"\"").Find("a")!).Value);
    }

    [Fact]
    public void Objects_side_by_side_are_merged()
    {
        Assert.Equal(TestHocon.Json("a : { b : 1, c : 2 }"), TestHocon.Json("a : { b : 1 } { c : 2 }"));
    }

    [Fact]
    public void Arrays_side_by_side_are_concatenated()
    {
        Assert.Equal(TestHocon.Json("a : [ 1, 2, 3, 4 ]"), TestHocon.Json("a : [ 1, 2 ] [ 3, 4 ]"));
    }

    [Fact]
    public void Arrays_on_separate_lines_are_separate_elements()
    {
        Assert.Equal("""{"a":[[1,2],[3,4]]}""", TestHocon.Json("a = [ [ 1, 2 ]\n [ 3, 4 ] ]"));
    }

    [Fact]
    public void Plus_equals_appends_to_an_array()
    {
        Assert.Equal("""{"a":[1,2]}""", TestHocon.Json("a = [1]\na += 2"));
    }

    [Fact]
    public void Plus_equals_creates_the_array_on_first_use()
    {
        Assert.Equal("""{"x":{"a":["b"]}}""", TestHocon.Json("x { a += b }"));
    }

    [Fact]
    public void Unix_paths_are_unquoted_strings()
    {
        Assert.Equal("""{"path":["/bin","/usr/bin"]}""", TestHocon.Json("path = [ /bin ]\npath = ${path} [ /usr/bin ]"));
    }
}
