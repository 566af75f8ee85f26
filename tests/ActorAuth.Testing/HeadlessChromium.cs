using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using DevRealmInstance = ActorAuth.DevRealm.DevRealm;

namespace ActorAuth.Testing;

/// <summary>What the browser shows after a navigation: the final URL, the document's HTTP status, title, text and source.</summary>
/// <param name="Status">The main document's HTTP status from Chromium's performance log; null if the log had no response for it (file:, data:).</param>
public sealed record BrowserPage(string Url, int? Status, string Title, string Text, string Source);

/// <summary>
/// A real headless Chromium (Debian's, driven through chromedriver by Selenium) that authenticates with Kerberos
/// Negotiate to http://localhost as a dev-realm user, as a browser on a user's desktop would: a TGT in its own
/// FILE: cache (kinit with the user's password file), the realm's krb5.conf, and localhost in the auth server
/// allowlist. Without a user the cache is empty, so a Negotiate server answers with its 401 page. With
/// <c>delegate</c> the browser forwards the user's TGT to localhost (GSS_C_DELEG_FLAG), as
/// AuthNegotiateDelegateAllowlist does for a managed desktop. Everything
/// non-loopback is cut off (a dead proxy, names other than localhost unresolvable). Diagnostics stay after
/// disposal under <c>&lt;test assembly dir&gt;/browser-logs/</c>; screenshots go to <c>…/screenshots/</c>.
/// One instance is one browser and one driver; not thread-safe (Selenium sessions are not).
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    /// <summary>Debian's Chromium binary itself: /usr/bin/chromium is a wrapper script that adds extension and GPU flags.</summary>
    public const string ChromiumPath = "/usr/lib/chromium/chromium";

    /// <summary>Debian's chromedriver, the same build as <see cref="ChromiumPath"/>.</summary>
    public const string ChromedriverPath = "/usr/bin/chromedriver";

    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly ChromeDriverService _service;
    private readonly ChromeDriver _driver;
    private readonly string _scratch;
    private readonly List<string> _console = [];

    private HeadlessChromium(ChromeDriverService service, ChromeDriver driver, string scratch, string? user, string driverLog, string chromiumLog)
    {
        _service = service;
        _driver = driver;
        _scratch = scratch;
        User = user;
        DriverLogPath = driverLog;
        ChromiumLogPath = chromiumLog;
    }

    /// <summary>The realm user whose ticket the browser holds; null for a browser without a ticket.</summary>
    public string? User { get; }

    /// <summary>chromedriver's log (commands, responses, the browser's start-up).</summary>
    public string DriverLogPath { get; }

    /// <summary>Chromium's own log (net/http/http_auth* at verbosity 1: why Negotiate was or was not tried).</summary>
    public string ChromiumLogPath { get; }

    /// <summary>The Selenium driver, for what this class does not wrap.</summary>
    public IWebDriver Driver => _driver;

    /// <summary>Where <see cref="Screenshot"/> puts a relative name: <c>&lt;test assembly dir&gt;/screenshots</c>.</summary>
    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    private static string LogDirectory => Path.Combine(AppContext.BaseDirectory, "browser-logs");

    /// <summary>Starts a browser for <paramref name="user"/> of the test run's realm (null: no ticket).</summary>
    public static Task<HeadlessChromium> StartAsync(RealmFixture realm, string? user = null, bool @delegate = false) =>
        StartAsync(realm.Realm, user, @delegate);

    /// <summary>
    /// Starts a browser whose Kerberos environment is <paramref name="realm"/>'s, with a fresh TGT for
    /// <paramref name="user"/> (null: an empty cache, so no Negotiate token can be made); with
    /// <paramref name="delegate"/> it delegates that TGT to localhost.
    /// </summary>
    public static async Task<HeadlessChromium> StartAsync(DevRealmInstance realm, string? user = null, bool @delegate = false)
    {
        string id = (user ?? "anonymous") + "-" + Guid.NewGuid().ToString("N")[..8];
        string scratch = System.IO.Directory.CreateTempSubdirectory("actorauth-chromium-").FullName;
        System.IO.Directory.CreateDirectory(LogDirectory);
        string driverLog = Path.Combine(LogDirectory, $"chromedriver-{id}.log");
        string chromiumLog = Path.Combine(LogDirectory, $"chromium-{id}.log");

        // Its own cache, never the realm's shared one or root's default: the browser is exactly this user or nobody.
        var environment = new Dictionary<string, string>(realm.Environment, StringComparer.Ordinal)
        {
            ["KRB5CCNAME"] = "FILE:" + Path.Combine(scratch, "ccache"),
        };
        if (user is not null)
        {
            try
            {
                await realm.KinitAsync(user, environment["KRB5CCNAME"]);
            }
            catch
            {
                System.IO.Directory.Delete(scratch, recursive: true);
                throw;
            }
        }

        ChromeDriverService service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromedriverPath)!, Path.GetFileName(ChromedriverPath));
        service.LogPath = driverLog;
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;

        // chromedriver starts Chromium with its own environment, and MIT reads the variables with getenv in
        // Chromium's network process: they must be in chromedriver's start environment (the managed one).
        service.DriverProcessStarting += (_, e) =>
        {
            foreach ((string name, string value) in environment)
            {
                e.DriverServiceProcessStartInfo.Environment[name] = value;
            }
        };

        ChromeDriver driver;
        try
        {
            driver = new ChromeDriver(service, Options(Profile(scratch, @delegate), chromiumLog), TimeSpan.FromSeconds(60));
        }
        catch (Exception e)
        {
            service.Dispose();
            System.IO.Directory.Delete(scratch, recursive: true);
            throw new InvalidOperationException($"Chromium did not start: {e.Message}\nchromedriver log: {driverLog}\nchromium log: {chromiumLog}", e);
        }

        return new HeadlessChromium(service, driver, scratch, user, driverLog, chromiumLog);
    }

    /// <summary>
    /// Navigates to <paramref name="url"/> and returns the page once loaded (document ready; scripts may still
    /// change it: use <see cref="WaitFor"/>). Negotiate happens inside the navigation, so a page protected by
    /// Negotiate shows its content with status 200 for a user with a ticket, and the server's 401 page otherwise.
    /// </summary>
    public BrowserPage Open(string url)
    {
        Drain("performance");
        try
        {
            _driver.Navigate().GoToUrl(url);
        }
        catch (WebDriverException e)
        {
            throw new InvalidOperationException($"Opening {url} failed: {e.Message}\n{Diagnostics()}", e);
        }

        return new BrowserPage(_driver.Url, DocumentStatus(_driver.Url), _driver.Title, BodyText(), _driver.PageSource);
    }

    /// <summary>
    /// Waits until the element matching <paramref name="cssSelector"/> exists and its text satisfies
    /// <paramref name="until"/> (any text when null), and returns that text. On timeout saves a screenshot and
    /// throws <see cref="TimeoutException"/> with the page's state, the console messages and the log paths.
    /// </summary>
    public string WaitFor(string cssSelector, Func<string, bool>? until = null, TimeSpan? timeout = null)
    {
        var wait = new WebDriverWait(_driver, timeout ?? DefaultWait) { PollingInterval = TimeSpan.FromMilliseconds(100) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            return wait.Until(driver =>
            {
                string text = driver.FindElement(By.CssSelector(cssSelector)).Text;
                return until is null || until(text) ? text : null;
            });
        }
        catch (WebDriverTimeoutException e)
        {
            string shot = Screenshot($"timeout-{Guid.NewGuid():N}"[..16]);
            throw new TimeoutException($"'{cssSelector}' did not appear as expected within {wait.Timeout}; screenshot {shot}\n{Diagnostics()}", e);
        }
    }

    /// <summary>
    /// Saves a PNG of the viewport to <paramref name="path"/>: a relative name (".png" added when missing) lands
    /// in <see cref="ScreenshotDirectory"/>. Returns the full path.
    /// </summary>
    public string Screenshot(string path)
    {
        string full = Path.IsPathRooted(path) ? path : Path.Combine(ScreenshotDirectory, path.EndsWith(".png", StringComparison.Ordinal) ? path : path + ".png");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        _driver.GetScreenshot().SaveAsFile(full);
        return full;
    }

    /// <summary>Resizes the window (the default is 1280×900), for a page's narrow layout.</summary>
    public void Resize(int width, int height) => _driver.Manage().Window.Size = new System.Drawing.Size(width, height);

    /// <summary>Every console message and uncaught error the pages logged so far, "LEVEL message".</summary>
    public IReadOnlyList<string> ConsoleMessages
    {
        get
        {
            _console.AddRange(Drain("browser").Select(entry => $"{entry.Level} {entry.Message}"));
            return _console.ToArray();
        }
    }

    /// <summary>What a failure message needs: where the browser is, what it logged, and where its logs are.</summary>
    public string Diagnostics()
    {
        var text = new StringBuilder();
        text.AppendLine($"browser for {User ?? "(no ticket)"} at {SafeRead(() => _driver.Url)} titled '{SafeRead(() => _driver.Title)}'");
        text.AppendLine($"chromedriver log: {DriverLogPath}");
        text.AppendLine($"chromium log: {ChromiumLogPath}");
        text.AppendLine("console:");
        foreach (string line in SafeRead(() => string.Join('\n', ConsoleMessages)).Split('\n'))
        {
            text.Append("  ").AppendLine(line);
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Quit closes Chromium and its children; disposing the service then stops chromedriver.
        try
        {
            await Task.Run(_driver.Quit);
        }
        finally
        {
            _driver.Dispose();
            _service.Dispose();
            System.IO.Directory.Delete(_scratch, recursive: true);
        }
    }

    /// <summary>
    /// A fresh profile whose Local State holds two browser-wide preferences there is no switch for.
    /// net.received_http_auth_negotiate_headers: Chromium on Linux runs its network service sandboxed, where
    /// libgssapi cannot load (Negotiate fails with ERR_UNSUPPORTED_AUTH_SCHEME), until it has once seen a
    /// Negotiate challenge; it then sets this and goes unsandboxed from the next start — so a fresh profile
    /// would fail the first run. auth.negotiate_delegate_whitelist is the pref behind AuthNegotiateDelegateAllowlist
    /// (a policy only, no switch in Chromium 156).
    /// </summary>
    private static string Profile(string scratch, bool @delegate)
    {
        string profile = System.IO.Directory.CreateDirectory(Path.Combine(scratch, "profile")).FullName;
        var localState = new JsonObject { ["net"] = new JsonObject { ["received_http_auth_negotiate_headers"] = true } };
        if (@delegate)
        {
            localState["auth"] = new JsonObject { ["negotiate_delegate_whitelist"] = "localhost" };
        }

        File.WriteAllText(Path.Combine(profile, "Local State"), localState.ToJsonString());
        return profile;
    }

    private static ChromeOptions Options(string profile, string chromiumLog)
    {
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless=new",
            "--no-sandbox", // as root Chromium refuses to start with its sandbox
            "--disable-dev-shm-usage", // the container's /dev/shm is small
            "--disable-gpu",
            "--window-size=1280,900",
            "--user-data-dir=" + profile,
            // The point of the browser: Negotiate to localhost (Chromium sends ambient credentials only to allowlisted hosts).
            "--auth-server-allowlist=localhost",
            // Loopback only: other hosts go to a proxy nobody listens on (loopback bypasses proxies), and only localhost resolves.
            "--proxy-server=http://127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-extensions",
            "--disable-sync",
            "--password-store=basic",
            "--enable-logging",
            "--log-file=" + chromiumLog,
            "--vmodule=http_auth*=1");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        options.SetLoggingPreference("performance", LogLevel.All);
        return options;
    }

    /// <summary>The status of the last main-document response for <paramref name="url"/> in the performance log.</summary>
    private int? DocumentStatus(string url)
    {
        int? status = null;
        foreach (LogEntry entry in Drain("performance"))
        {
            using JsonDocument json = JsonDocument.Parse(entry.Message);
            JsonElement message = json.RootElement.GetProperty("message");
            if (message.GetProperty("method").GetString() == "Network.responseReceived"
                && message.GetProperty("params") is var parameters
                && parameters.GetProperty("type").GetString() == "Document"
                && parameters.GetProperty("response") is var response
                && response.GetProperty("url").GetString() == url)
            {
                status = response.GetProperty("status").GetInt32();
            }
        }

        return status;
    }

    private string BodyText() => _driver.FindElements(By.TagName("body")) is [var body, ..] ? body.Text : string.Empty;

    /// <summary>Reads and empties one of chromedriver's logs (each read returns only what is new).</summary>
    private IReadOnlyCollection<LogEntry> Drain(string logType) => _driver.Manage().Logs.GetLog(logType);

    private static string SafeRead(Func<string> read)
    {
        try
        {
            return read();
        }
        catch (WebDriverException e)
        {
            return $"(unavailable: {e.Message})";
        }
    }
}
