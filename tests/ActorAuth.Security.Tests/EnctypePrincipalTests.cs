using System.Diagnostics;

namespace ActorAuth.Security.Tests;

/// <summary>The realm's per-enctype service principals, as the lucid-context tests rely on them.</summary>
[Collection(RealmCollection.Name)]
public sealed class EnctypePrincipalTests(RealmFixture fixture)
{
    public static TheoryData<string> Enctypes() => new(RealmFixture.Enctypes);

    [Theory]
    [MemberData(nameof(Enctypes))]
    public async Task The_service_keytab_holds_only_a_key_of_the_principals_enctype(string enctype)
    {
        string principal = RealmFixture.EnctypePrincipal(enctype) + "@" + fixture.Realm.RealmName;

        // klist -ke lines: "KVNO principal (enctype)".
        string[] entries = [.. (await KlistAsync("-ke", fixture.Realm.KeytabPath)).Split('\n', StringSplitOptions.TrimEntries)
            .Where(line => line.Contains(" " + principal + " ", StringComparison.Ordinal))];

        Assert.Equal([$"({enctype})"], entries.Select(line => line[(line.LastIndexOf(' ') + 1)..]));
    }

    private async Task<string> KlistAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("klist") { RedirectStandardOutput = true };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in fixture.Realm.Environment)
        {
            startInfo.Environment[name] = value;
        }

        using Process process = Process.Start(startInfo)!;
        string output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
