using System.CommandLine;
using System.Net;
using System.Security.Principal;
using ActorAuth.Client;
using ActorAuth.Client.Http;
using ActorAuth.Security;
using ActorAuth.Server.Hosting;

namespace ActorAuth.Cli;

/// <summary>
/// <c>actorauth http get URL [--user U --password-file F] [--delegate] [--output FILE] [--spn S] [--package P]</c>:
/// the seed's httpget over RFC 4559. The status line and what was authenticated go to stderr, the body to stdout
/// (or <c>--output</c>). Exit 0 only for a 2xx response from a server that proved itself (mutual authentication);
/// 1 with one line naming the reason otherwise (401, 403, another status, mutual authentication refused, no
/// connection); 2 for bad options.
/// </summary>
internal static class HttpCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "The absolute http:// URL to fetch, e.g. http://localhost:8080/index.html." };
        var user = new Option<string?>("--user") { Description = "User principal (e.g. alice); with --password-file. Without it, the ticket cache (KRB5CCNAME) is used." };
        var passwordFile = new Option<FileInfo?>("--password-file") { Description = "File holding the user's password." };
        var delegate_ = new Option<bool>("--delegate") { Description = "Let the server act as the client towards other services (forwards the TGT; needs a forwardable ticket)." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the body to this file instead of stdout." };
        var spn = new Option<string?>("--spn") { Description = "Service principal name the server must prove (default: HTTP/<host of the URL>)." };
        var preemptive = new Option<bool>("--preemptive") { Description = "Send the Negotiate token with the first request instead of waiting for the server's 401." };
        Option<string> package = CliOptions.Package();
        Option<string> config = CliOptions.Config();
        var get = new Command("get", "GET a Negotiate-protected URL with mutual authentication; print the status and who is who to stderr, the body to stdout.")
        {
            url, user, passwordFile, delegate_, output, spn, preemptive, package, config,
        };
        get.SetAction(async (parse, cancellationToken) =>
        {
            NegotiateHttpOptions options;
            string text = parse.GetValue(url)!;
            Uri? target;
            try
            {
                if (!Uri.TryCreate(text, UriKind.Absolute, out target) || target.Scheme is not ("http" or "https"))
                {
                    throw new ArgumentException($"'{text}' is not an absolute http:// or https:// URL.");
                }

                KerberosEnvironment.Apply(KerberosSettings.Variables(ActorAuthConfiguration.Load(parse.GetValue(config)!)));
                options = new NegotiateHttpOptions
                {
                    Package = SecurityPackages.Canonical(parse.GetValue(package)!),
                    ServicePrincipalName = parse.GetValue(spn),
                    ImpersonationLevel = parse.GetValue(delegate_) ? TokenImpersonationLevel.Delegation : TokenImpersonationLevel.Identification,
                    Preemptive = parse.GetValue(preemptive),
                };
            }
            catch (Exception e) when (e is ArgumentException or IOException)
            {
                await Console.Error.WriteLineAsync($"actorauth http: {e.Message}");
                return 2;
            }

            try
            {
                using ClientCredential? credential = AcquireCredential(parse.GetValue(user), parse.GetValue(passwordFile), options.Package);
                using HttpClient client = ActorAuthClient.CreateHttpClient(options with { SharedCredential = credential });
                using HttpResponseMessage response = await client.GetAsync(target, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                await Console.Error.WriteLineAsync($"HTTP/{response.Version} {(int)response.StatusCode} {response.ReasonPhrase}");
                NegotiateHttpAuthentication? authentication = response.GetNegotiateAuthentication();
                if (authentication is not null)
                {
                    await Console.Error.WriteLineAsync(Describe(authentication));
                }

                if (Refusal(response, authentication) is string refusal)
                {
                    await Console.Error.WriteLineAsync($"actorauth http: {refusal}");
                    return 1;
                }

                await using Stream body = parse.GetValue(output) is FileInfo file ? file.Create() : Console.OpenStandardOutput();
                await response.Content.CopyToAsync(body, cancellationToken);
                return 0;
            }
            catch (MutualAuthenticationException e)
            {
                await Console.Error.WriteLineAsync($"actorauth http: mutual authentication failed: {e.Message}");
                return 1;
            }
            catch (SecurityPackageException e)
            {
                await Console.Error.WriteLineAsync($"actorauth http: {ClientFailure.CredentialsRejected}: {e.Message}");
                return 1;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or ArgumentException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"actorauth http: {target}: {e.Message}");
                return 1;
            }
        });
        return new Command("http", "HTTP Negotiate (RFC 4559) client.") { get };
    }

    /// <summary>
    /// The shared credential: from the password (a wrong one fails here, before any request), or from the ticket
    /// cache. Without usable tickets in the cache it is null and the request goes out anyway, so what the user sees
    /// is the server's 401 with the local reason.
    /// </summary>
    private static ClientCredential? AcquireCredential(string? user, FileInfo? passwordFile, string package)
    {
        NetworkCredential? password = ClientCommand.Credential(user, passwordFile);
        if (password is not null)
        {
            return ClientCredential.Acquire(new ClientCredentialOptions { Package = package, Credential = password });
        }

        try
        {
            return ClientCredential.Acquire(new ClientCredentialOptions { Package = package });
        }
        catch (SecurityPackageException)
        {
            return null;
        }
    }

    /// <summary>Why the response does not count as success, or null for a 2xx the server authenticated.</summary>
    private static string? Refusal(HttpResponseMessage response, NegotiateHttpAuthentication? authentication)
    {
        string status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => $"{status}: the server did not accept the client's Negotiate authentication" +
                (response.GetNegotiateFailure() is string why ? $" ({why})." : "."),
            HttpStatusCode.Forbidden => $"{status}: the server {(authentication is null ? "" : $"authenticated {authentication.ClientPrincipal ?? "the client"} but ")}refused access.",
            _ when !response.IsSuccessStatusCode => $"{status}.",
            _ when authentication is null => $"{status} without Negotiate authentication: the server asked for none, so nothing proves who answered.",
            _ => null,
        };
    }

    private static string Describe(NegotiateHttpAuthentication a) => string.Join(Environment.NewLine,
        $"client principal: {a.ClientPrincipal ?? "unknown"}",
        $"server principal: {a.ServerPrincipal}",
        $"package: {a.Package}",
        $"mutual authentication: {(a.IsMutuallyAuthenticated ? "yes" : "no")}",
        $"impersonation: {a.ImpersonationLevel}",
        $"legs: {a.Legs}{(a.Preemptive ? " (preemptive)" : "")}");
}
