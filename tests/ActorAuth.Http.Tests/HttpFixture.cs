namespace ActorAuth.Http.Tests;

/// <summary>One real KDC and one private Apache with mod_auth_gssapi for every test here, serving <see cref="Documents"/>.</summary>
public sealed class HttpFixture : IAsyncLifetime
{
    /// <summary>The documents Apache serves, path → content.</summary>
    public static readonly IReadOnlyDictionary<string, string> Documents = new Dictionary<string, string>
    {
        ["index.html"] = "<html><body>ActorAuth HTTP anchor</body></html>\n",
        ["docs/report.txt"] = "quarterly figures: 42\n",
    };

    private ApacheHttpd? _apache;

    /// <summary>The realm (its environment is applied to this process).</summary>
    public RealmFixture Realm { get; } = new();

    /// <summary>The running Apache.</summary>
    public ApacheHttpd Apache => _apache ?? throw new InvalidOperationException("Apache is not up.");

    /// <summary>The file holding <paramref name="user"/>'s password.</summary>
    public string PasswordFile(string user) => Path.Combine(Realm.Realm.Directory, $"{user}.password");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await Realm.InitializeAsync();
        _apache = await ApacheHttpd.StartAsync(Realm.Realm, Documents);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_apache is not null)
        {
            await _apache.DisposeAsync();
        }

        await Realm.DisposeAsync();
    }
}

/// <summary>Every test that needs the KDC or Apache is in this collection, so both are started once per run.</summary>
[CollectionDefinition(Name)]
public sealed class HttpCollection : ICollectionFixture<HttpFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "http";
}
