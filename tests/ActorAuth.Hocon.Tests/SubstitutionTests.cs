namespace ActorAuth.Hocon.Tests;

public class SubstitutionTests
{
    [Fact]
    public void Substitution_keeps_the_type_of_a_lone_value()
    {
        Assert.Equal("""{"a":{"b":42},"c":42,"d":{"b":42}}""", TestHocon.Json("a.b = 42\nc = ${a.b}\nd = ${a}"));
    }

    [Fact]
    public void Substitution_looks_forward_in_the_document()
    {
        Assert.Equal("""{"a":"x","b":"x"}""", TestHocon.Json("b = ${a}\na = x"));
    }

    [Fact]
    public void Substitution_uses_the_last_assigned_value()
    {
        Assert.Equal("""{"a":2,"b":2}""", TestHocon.Json("a = 1\nb = ${a}\na = 2"));
    }

    [Fact]
    public void Substitution_concatenates_into_a_string()
    {
        Assert.Equal("""{"animal":{"favorite":"cat"},"key":"cat is my favorite animal"}""",
            TestHocon.Json("animal.favorite = cat\nkey : ${animal.favorite} is my favorite animal"));
    }

    [Fact]
    public void Substitution_is_not_expanded_inside_quotes()
    {
        Assert.Equal("""{"a":"${b}"}""", TestHocon.Json("a = \"${b}\""));
    }

    [Fact]
    public void Object_may_refer_to_its_own_fields()
    {
        Assert.Equal("""{"bar":{"baz":42,"foo":42}}""", TestHocon.Json("bar : { foo : 42,\n baz : ${bar.foo}\n }"));
    }

    [Fact]
    public void Reference_inside_an_object_sees_a_later_override()
    {
        Assert.Equal("""{"bar":{"baz":43,"foo":43}}""", TestHocon.Json("bar : { foo : 42, baz : ${bar.foo} }\nbar : { foo : 43 }"));
    }

    [Fact]
    public void Mutually_referring_objects_resolve()
    {
        var text = "bar : { a : ${foo.d}, b : 1 }\nbar.b = 3\nfoo : { c : ${bar.b}, d : 2 }\nfoo.d = 4";
        Assert.Equal("""{"bar":{"a":4,"b":3},"foo":{"c":3,"d":4}}""", TestHocon.Json(text));
    }

    [Fact]
    public void Self_reference_appends_to_a_string()
    {
        Assert.Equal("""{"path":"a:b:c:d"}""", TestHocon.Json("path : \"a:b:c\"\npath : ${path}\":d\""));
    }

    [Fact]
    public void Self_reference_appends_to_an_array()
    {
        Assert.Equal("""{"a":[1,2,3,4]}""", TestHocon.Json("a : [ 1, 2 ]\na : ${a} [ 3, 4 ]"));
    }

    [Fact]
    public void Repeated_self_references_chain()
    {
        Assert.Equal("""{"a":"1xy"}""", TestHocon.Json("a = 1\na = ${a}x\na = ${a}y"));
    }

    [Fact]
    public void Self_reference_to_an_object_merges_with_the_earlier_value()
    {
        Assert.Equal("""{"foo":{"a":1}}""", TestHocon.Json("foo : { a : 1 }\nfoo : ${foo}"));
    }

    [Fact]
    public void Self_reference_into_a_sub_path_looks_back()
    {
        Assert.Equal("""{"foo":{"a":2,"c":1}}""", TestHocon.Json("foo : { a : { c : 1 } }\nfoo : ${foo.a}\nfoo : { a : 2 }"));
    }

    [Fact]
    public void Object_inheritance_through_substitution()
    {
        var text = "data-center-generic = { cluster-size = 6 }\ndata-center-east = ${data-center-generic} { name = \"east\" }";
        Assert.Equal("""{"data-center-east":{"cluster-size":6,"name":"east"},"data-center-generic":{"cluster-size":6}}""", TestHocon.Json(text));
    }

    [Fact]
    public void Optional_self_reference_with_no_earlier_value_is_empty()
    {
        Assert.Equal("""{"a":"foo"}""", TestHocon.Json("a = ${?a}foo"));
    }

    [Fact]
    public void Optional_self_reference_array_form_starts_a_new_array()
    {
        Assert.Equal("""{"a":["x"]}""", TestHocon.Json("a = ${?a} [x]"));
    }

    [Fact]
    public void Undefined_optional_substitution_omits_the_field()
    {
        Assert.Equal("{}", TestHocon.Json("foo : ${?bar}"));
    }

    [Fact]
    public void Undefined_optional_substitution_keeps_the_earlier_value()
    {
        Assert.Equal("""{"foo":1}""", TestHocon.Json("foo = 1\nfoo = ${?missing}"));
    }

    [Fact]
    public void Undefined_optional_substitution_drops_an_array_element()
    {
        Assert.Equal("""{"a":[1,2]}""", TestHocon.Json("a = [1, ${?missing}, 2]"));
    }

    [Fact]
    public void Optional_self_reference_alone_disappears()
    {
        Assert.Equal("{}", TestHocon.Json("foo : ${?foo}"));
    }

    [Fact]
    public void Hidden_substitution_is_never_evaluated()
    {
        Assert.Equal("""{"foo":42}""", TestHocon.Json("foo : ${does-not-exist}\nfoo : 42"));
    }

    [Fact]
    public void Missing_path_falls_back_to_environment_variable()
    {
        var environment = new Dictionary<string, string> { ["HOME"] = "/home/kdc" };
        Assert.Equal("""{"dir":"/home/kdc/keys"}""", TestHocon.Json("dir = ${HOME}/keys", environment));
    }

    [Fact]
    public void Optional_environment_override_replaces_the_default()
    {
        var environment = new Dictionary<string, string> { ["KDC_PORT"] = "1088" };
        Assert.Equal("""{"port":"1088"}""", TestHocon.Json("port = 88\nport = ${?KDC_PORT}", environment));
    }

    [Fact]
    public void Setting_a_path_to_null_blocks_the_environment_fallback()
    {
        var environment = new Dictionary<string, string> { ["HOME"] = "/home/kdc" };
        Assert.Equal("""{"HOME":null,"h":null}""", TestHocon.Json("HOME = null\nh = ${HOME}", environment));
    }

    [Fact]
    public void Default_lookup_reads_process_environment_variables()
    {
        var name = "ACTORAUTH_HOCON_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-env");
        try
        {
            Assert.Equal("from-env", ((HoconScalar)Hocon.Parse($"a = ${{{name}}}").Find("a")!).Value);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void Missing_required_substitution_is_an_error_naming_the_path()
    {
        var error = TestHocon.Error("a = 1\nb = ${nope.x}");
        Assert.Equal("<string>:2:5: could not resolve ${nope.x}: there is no setting 'nope.x' and no environment variable 'nope.x'; define it, or write ${?nope.x} to make it optional", error.Message);
    }

    [Fact]
    public void Self_reference_without_earlier_value_is_an_error()
    {
        Assert.Contains("could not resolve ${foo}", TestHocon.Error("foo : ${foo}").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_substitutions_referring_to_each_other_are_a_cycle()
    {
        var error = TestHocon.Error("bar : ${foo}\nfoo : ${bar}");
        Assert.Contains("substitution cycle", error.Message, StringComparison.Ordinal);
        Assert.Contains("${foo} (line 1, column 7)", error.Message, StringComparison.Ordinal);
        Assert.Contains("${bar} (line 2, column 7)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Three_step_loop_is_a_cycle()
    {
        Assert.Contains("substitution cycle", TestHocon.Error("a : ${b}\nb : ${c}\nc : ${a}").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Object_containing_a_reference_to_itself_is_a_cycle()
    {
        Assert.Contains("substitution cycle: ${a}", TestHocon.Error("a : { b : ${a} }").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Array_containing_a_reference_to_itself_is_a_cycle()
    {
        Assert.Contains("substitution cycle", TestHocon.Error("a : [${a}]").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concatenating_an_array_with_a_string_is_an_error()
    {
        Assert.Contains("cannot concatenate an array", TestHocon.Error("a = [1]\nb = ${a} foo").Message, StringComparison.Ordinal);
    }
}
