using Xunit;

namespace ActorAuth.Integration.Tests.Http;

/// <summary>
/// Debian's Chromium, headless, with Negotiate allowed for localhost and a ticket cache of its own: a real browser
/// authenticates to the http listener with nothing of ours in it. Screenshots are kept under the test output's
/// screenshots/ directory.
/// </summary>
[Collection(RealmCollection.Name)]
public sealed class BrowserTests(RealmFixture realm) : IAsyncLifetime
{
    private HttpSite _site = null!;

    public async Task InitializeAsync() => _site = await HttpSite.StartAsync(realm);

    public async Task DisposeAsync() => await _site.DisposeAsync();

    private string Diagnose(HeadlessChromium browser, BrowserPage page) =>
        $"{page.Url}: status {page.Status}, title '{page.Title}'\n{page.Text}\n{browser.Diagnostics()}\nserver log:\n{_site.Server.Log}";

    [Fact]
    public async Task Chromium_as_alice_loads_a_page_only_alice_may_read()
    {
        await using HeadlessChromium browser = await HeadlessChromium.StartAsync(realm, "alice");

        BrowserPage page = browser.Open(_site.Url("/private/alice.html"));
        browser.Screenshot("protected-page");

        Assert.True(page.Status == 200 && page.Text.Contains(HttpSite.AliceDocument, StringComparison.Ordinal), Diagnose(browser, page));
        Assert.Contains("authenticated alice@ACTORAUTH.TEST", _site.Server.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chromium_without_a_ticket_gets_401_and_not_the_page()
    {
        await using HeadlessChromium browser = await HeadlessChromium.StartAsync(realm, user: null);

        BrowserPage page = browser.Open(_site.Url("/index.html"));

        Assert.True(page.Status == 401, Diagnose(browser, page));
        Assert.DoesNotContain("hello, realm", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chromium_as_alice_shows_the_status_page_updating_itself_with_every_listener()
    {
        await using HeadlessChromium browser = await HeadlessChromium.StartAsync(realm, "alice");
        browser.Resize(1280, 1000);

        BrowserPage page = browser.Open(_site.Url("/status"));
        string first = browser.WaitFor("#stamp-text", text => text.StartsWith("Updated", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        string later = browser.WaitFor("#stamp-text", text => text.StartsWith("Updated", StringComparison.Ordinal) && text != first, TimeSpan.FromSeconds(15));
        string principal = browser.WaitFor("#principal");
        string listeners = browser.WaitFor("#listeners");
        browser.Screenshot("status-page");

        Assert.True(page.Status == 200, Diagnose(browser, page));
        Assert.NotEqual(first, later);
        Assert.Equal("alice@ACTORAUTH.TEST", principal);
        Assert.Contains("sockauth", listeners, StringComparison.Ordinal);
        Assert.Contains("http", listeners, StringComparison.Ordinal);
        Assert.DoesNotContain(browser.ConsoleMessages, m => m.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Chromium_as_bob_is_refused_the_status_page()
    {
        await using HeadlessChromium browser = await HeadlessChromium.StartAsync(realm, "bob");

        BrowserPage page = browser.Open(_site.Url("/status"));

        Assert.True(page.Status == 403, Diagnose(browser, page));
        Assert.Contains("for operators", page.Text, StringComparison.Ordinal);
    }
}
