namespace ActorAuth.Hocon.Tests;

public class ErrorTests
{
    [Fact]
    public void Missing_closing_brace_names_where_the_object_opened()
    {
        Assert.Equal("<string>:3:1: expected '}' to close the object opened at line 1, column 3, but reached the end of the file",
            TestHocon.Error("a {\n b = 1\n").Message);
    }

    [Fact]
    public void Unbalanced_closing_brace_without_root_braces_is_an_error()
    {
        Assert.Equal("<string>:1:7: found '}' without a matching '{'; remove it or add the opening brace", TestHocon.Error("a = 1 }").Message);
    }

    [Fact]
    public void Missing_separator_after_key_is_reported_at_the_token()
    {
        Assert.Equal("<string>:2:5: expected ':', '=', '+=' or '{' after the key 'port' but found end of line",
            TestHocon.Error("a = 1\nport\n").Message);
    }

    [Fact]
    public void Missing_value_is_reported()
    {
        Assert.Equal("<string>:1:6: expected a value for 'a.b' but found end of file", TestHocon.Error("a.b =").Message);
    }

    [Fact]
    public void Two_commas_in_a_row_are_an_error()
    {
        Assert.Equal("<string>:1:11: expected an array element or ']' but found ','; remove the extra comma", TestHocon.Error("a = [1, 2,,]").Message);
    }

    [Fact]
    public void Leading_comma_in_array_is_an_error()
    {
        Assert.StartsWith("<string>:1:6: expected an array element or ']' but found ','", TestHocon.Error("a = [,1]").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_array_names_where_it_opened()
    {
        Assert.Equal("<string>:2:3: expected ']' to close the array opened at line 1, column 5, but reached the end of the file", TestHocon.Error("a = [1\n 2").Message);
    }

    [Fact]
    public void Line_break_inside_a_quoted_string_is_reported_where_it_occurs()
    {
        Assert.StartsWith("<string>:1:9: a quoted string cannot contain a line break", TestHocon.Error("a = \"abc\nb = 2").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quoted_string_at_end_of_file_is_never_closed()
    {
        Assert.Equal("<string>:1:5: this quoted string is never closed; add the closing '\"'", TestHocon.Error("a = \"abc").Message);
    }

    [Fact]
    public void Unclosed_triple_quoted_string_points_at_its_start()
    {
        Assert.Equal("<string>:2:5: this triple-quoted string is never closed; add the closing \"\"\"", TestHocon.Error("x = 1\na = \"\"\"abc\n").Message);
    }

    [Fact]
    public void Invalid_escape_is_reported()
    {
        Assert.StartsWith("<string>:1:7: '\\q' is not a valid escape", TestHocon.Error("a = \"x\\q\"").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reserved_character_outside_quotes_suggests_quoting()
    {
        Assert.StartsWith("<string>:1:8: the character '@' is not allowed outside quotes", TestHocon.Error("a = foo@bar").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Colon_inside_an_unquoted_value_suggests_quoting()
    {
        Assert.StartsWith("<string>:1:9: unexpected ':' in a value; quote values that contain it", TestHocon.Error("url = ab:cd").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_path_element_is_an_error()
    {
        Assert.StartsWith("<string>:1:1: the path 'a..b' has an empty element", TestHocon.Error("a..b = 1").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Substitution_in_a_key_is_an_error()
    {
        Assert.StartsWith("<string>:1:3: substitutions like ${...} are not allowed in keys", TestHocon.Error("a ${b} = 1").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_substitution_is_an_error()
    {
        Assert.StartsWith("<string>:1:5: the substitution '${a.b' is not closed", TestHocon.Error("x = ${a.b\n").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Array_at_the_root_is_rejected_for_configuration()
    {
        Assert.StartsWith("<string>:1:1: the root of a configuration must be an object", TestHocon.Error("[1, 2]").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_without_a_quoted_name_is_an_error()
    {
        Assert.StartsWith("<string>:1:9: expected a quoted file name after 'include'", TestHocon.Error("include foo").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_include_from_a_string_is_an_error()
    {
        Assert.StartsWith("<string>:1:1: cannot include the relative path 'x.conf' from text that was not loaded from a file", TestHocon.Error("include \"x.conf\"").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_position_carries_line_and_column()
    {
        var error = TestHocon.Error("a = 1\n  b = [");
        Assert.Equal(new HoconPosition("<string>", 2, 8), error.Position);
    }
}
