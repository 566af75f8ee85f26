namespace ActorAuth.Directory.Tests;

// Examples are from Microsoft's pages on DsMakeSpn, DsGetSpn, DsCrackSpn and "Name Formats for Unique SPNs".
public sealed class ServicePrincipalNameTests
{
    [Theory]
    // Host-based: DsMakeSpn with no instance name makes the service name the host.
    [InlineData("http", "www.example.com", null, 0, null, "http/www.example.com")]
    [InlineData("actorauth", "host.corp.example", null, 2000, null, "actorauth/host.corp.example:2000")]
    // Replicable: the instance is the host, the service name (a domain) the third component.
    [InlineData("ldap", "fabrikam.com", "dc-01.fabrikam.com", 0, null, "ldap/dc-01.fabrikam.com/fabrikam.com")]
    [InlineData("ldap", "fabrikam.com", "dc-01.fabrikam.com", 389, null, "ldap/dc-01.fabrikam.com:389/fabrikam.com")]
    // A DN as the service name (an SCP's), spaces and all.
    [InlineData("MyService", "CN=My Service,CN=Computers,DC=corp,DC=example", "host.corp.example", 5000, null,
        "MyService/host.corp.example:5000/CN=My Service,CN=Computers,DC=corp,DC=example")]
    // The service name is dropped when it equals the instance name, whatever its case.
    [InlineData("http", "WWW.example.com", "www.example.com", 0, null, "http/www.example.com")]
    // The referrer is used only for an IP address host.
    [InlineData("http", "10.0.0.5", null, 8080, "proxy.example.com", "http/10.0.0.5:8080/proxy.example.com")]
    [InlineData("http", "www.example.com", null, 0, "proxy.example.com", "http/www.example.com")]
    [InlineData("http", "10.0.0.5", null, 0, null, "http/10.0.0.5")]
    // IPv6 literals are bracketed, given with or without brackets.
    [InlineData("actorauth", "::1", null, 2000, null, "actorauth/[::1]:2000")]
    [InlineData("actorauth", "[fe80::1]", null, 0, "gw.example.com", "actorauth/[fe80::1]/gw.example.com")]
    // A GUID service class, as DsMakeSpn allows.
    [InlineData("0f1b5ab4-25d3-4e6b-9c3e-2b7e7f0c1a11", "host.example.com", null, 0, null, "0f1b5ab4-25d3-4e6b-9c3e-2b7e7f0c1a11/host.example.com")]
    public void Make_composes_as_DsMakeSpn_does(string serviceClass, string serviceName, string? instanceName, int port, string? referrer, string expected)
    {
        var spn = ServicePrincipalName.Make(serviceClass, serviceName, instanceName, (ushort)port, referrer);

        Assert.Equal(expected, spn.ToString());
    }

    [Theory]
    [InlineData("", "host.example.com", null, "service class is empty")]
    [InlineData("my/class", "host.example.com", null, "service class 'my/class' contains '/'")]
    [InlineData("my:class", "host.example.com", null, "service class 'my:class' contains ':'")]
    [InlineData("http", "", null, "service name is required")]
    [InlineData("http", "host/evil", null, "instance name 'host/evil' contains '/'")]
    [InlineData("http", "fabrikam.com", "dc/01", "instance name 'dc/01' contains '/'")]
    [InlineData("http", "a/b", "host.example.com", "service name 'a/b' contains '/'")]
    [InlineData("http", "host example.com", null, "instance name 'host example.com' contains whitespace")]
    [InlineData("http", "alice@EXAMPLE.COM", null, "contains '@'")]
    [InlineData("http", "[host.example.com]", null, "is in brackets but is not an IPv6 address")]
    [InlineData("http", "10.0.0.5", null, "referrer 'bad/referrer' contains '/'", "bad/referrer")]
    public void Make_refuses_invalid_components_naming_them(string serviceClass, string serviceName, string? instanceName, string fragment, string? referrer = null)
    {
        var error = Assert.Throws<SpnFormatException>(() => ServicePrincipalName.Make(serviceClass, serviceName, instanceName, 0, referrer));

        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetHostBased_makes_one_SPN_per_DNS_name_with_the_port()
    {
        var spns = ServicePrincipalName.GetHostBased("actorauth", "host1.corp.example", ["alias.corp.example", "HOST1.corp.example", "localhost"], 2000);

        Assert.Equal(["actorauth/host1.corp.example:2000", "actorauth/alias.corp.example:2000", "actorauth/localhost:2000"], spns.Select(s => s.ToString()));
    }

    [Fact]
    public void GetHostBased_without_a_port_makes_plain_host_SPNs()
    {
        var spns = ServicePrincipalName.GetHostBased("actorauth", "localhost", [], 0);

        Assert.Equal("actorauth/localhost", Assert.Single(spns).ToString());
    }

    [Theory]
    [InlineData("HOST1", "NetBIOS or unqualified name")]
    [InlineData("10.0.0.5", "is an IP address")]
    [InlineData("::1", "contains ':'")]
    [InlineData("-bad.example.com", "invalid label '-bad'")]
    [InlineData("host..example.com", "invalid label ''")]
    [InlineData("host.exa!mple.com", "invalid label 'exa!mple'")]
    public void GetHostBased_refuses_names_that_are_not_DNS_host_names(string name, string fragment)
    {
        var error = Assert.Throws<SpnFormatException>(() => ServicePrincipalName.GetHostBased("actorauth", "host.example.com", [name], 0));

        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http/www.example.com", "http", "www.example.com", 0, null)]
    [InlineData("ldap/dc-01.fabrikam.com/fabrikam.com", "ldap", "dc-01.fabrikam.com", 0, "fabrikam.com")]
    [InlineData("MSSQLSvc/db.corp.example:1433", "MSSQLSvc", "db.corp.example", 1433, null)]
    [InlineData("ldap/dc-01.fabrikam.com:389/fabrikam.com", "ldap", "dc-01.fabrikam.com", 389, "fabrikam.com")]
    [InlineData("actorauth/[::1]:2000", "actorauth", "::1", 2000, null)]
    [InlineData("actorauth/[2001:db8::7]/gw.example.com", "actorauth", "2001:db8::7", 0, "gw.example.com")]
    [InlineData("http/10.0.0.5:8080/proxy.example.com", "http", "10.0.0.5", 8080, "proxy.example.com")]
    [InlineData("HTTP/WWW.Example.COM", "HTTP", "WWW.Example.COM", 0, null)]
    [InlineData("x/y:65535/CN=My Service,DC=corp", "x", "y", 65535, "CN=My Service,DC=corp")]
    public void Parse_cracks_the_components_and_round_trips(string text, string serviceClass, string instance, int port, string? serviceName)
    {
        var spn = ServicePrincipalName.Parse(text);

        Assert.Equal(serviceClass, spn.ServiceClass);
        Assert.Equal(instance, spn.InstanceName);
        Assert.Equal(port, spn.InstancePort);
        Assert.Equal(serviceName, spn.ServiceName);
        Assert.Equal(text, spn.ToString());
    }

    [Fact]
    public void Parse_drops_a_service_name_equal_to_the_instance_name()
    {
        Assert.Equal("http/www.example.com", ServicePrincipalName.Parse("http/www.example.com/WWW.EXAMPLE.COM").ToString());
    }

    [Theory]
    [InlineData("", "SPN is empty")]
    [InlineData("host.example.com", "has no '/'")]
    [InlineData("/host.example.com", "empty service class")]
    [InlineData("http/", "instance name (host) is empty")]
    [InlineData("http/:80", "instance name (host) is empty")]
    [InlineData("http/host.example.com:", "':' but no port number")]
    [InlineData("http/host.example.com:0", "outside 1–65535")]
    [InlineData("http/host.example.com:65536", "outside 1–65535")]
    [InlineData("MSSQLSvc/db.corp.example:SQLEXPRESS", "not a number")]
    [InlineData("http/host.example.com/", "no service name")]
    [InlineData("http/host.example.com/a/b", "service name 'a/b' contains '/'")]
    [InlineData("http/[::1", "never closes it")]
    [InlineData("http/[::1]x", "after the instance name")]
    [InlineData("http/::1", "without brackets; write it as [::1]")]
    [InlineData("http/2001:db8::7:2000", "without brackets")]
    [InlineData("http/host.example.com@EVIL.REALM", "contains '@'")]
    public void Parse_refuses_malformed_SPNs_saying_why(string text, string fragment)
    {
        Assert.False(ServicePrincipalName.TryParse(text, out var spn, out var error));
        Assert.Null(spn);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
        Assert.Contains(fragment, Assert.Throws<SpnFormatException>(() => ServicePrincipalName.Parse(text)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equality_ignores_case_as_the_directory_does()
    {
        var lower = ServicePrincipalName.Parse("actorauth/host.example.com:2000");
        var upper = ServicePrincipalName.Parse("ACTORAUTH/HOST.EXAMPLE.COM:2000");

        Assert.Equal(lower, upper);
        Assert.Equal(lower.GetHashCode(), upper.GetHashCode());
        Assert.NotEqual(lower, ServicePrincipalName.Parse("actorauth/host.example.com:2001"));
        Assert.Equal("ACTORAUTH/HOST.EXAMPLE.COM:2000", upper.ToString());
    }

    [Theory]
    [InlineData("http/10.0.0.5", true)]
    [InlineData("http/[::1]", true)]
    [InlineData("http/host.example.com", false)]
    [InlineData("http/127.1", false)]
    public void IsIPAddressInstance_recognises_only_full_address_literals(string text, bool expected)
    {
        Assert.Equal(expected, ServicePrincipalName.Parse(text).IsIPAddressInstance);
    }
}
