using System.Net;

namespace ActorAuth.Http.Tests;

/// <summary>
/// A hostile HTTP server on 127.0.0.1: it asks for Negotiate (401), then answers the Negotiate request 200 with
/// <see cref="FinalToken"/> (none, or bytes that prove nothing) — what an impostor without the SPN's keys can do.
/// It records the bodies of the requests it received.
/// </summary>
internal sealed class HostileHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    private HostileHttpServer(int port, string? finalToken)
    {
        Port = port;
        FinalToken = finalToken;
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port { get; }

    /// <summary>The token the 200 carries in <c>WWW-Authenticate: Negotiate</c>; null for none.</summary>
    public string? FinalToken { get; }

    /// <summary>Each request's Authorization header (empty without) and body, in order.</summary>
    public List<(string Authorization, string Body)> Requests { get; } = [];

    public Uri Url => new($"http://127.0.0.1:{Port}/secret.txt");

    public static HostileHttpServer Start(string? finalToken) => new(LoopbackPort.Free(), finalToken);

    private async Task ServeAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return; // stopped
            }

            string authorization = context.Request.Headers["Authorization"] ?? string.Empty;
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                lock (Requests)
                {
                    Requests.Add((authorization, reader.ReadToEnd()));
                }
            }

            HttpListenerResponse response = context.Response;
            if (!authorization.StartsWith("Negotiate ", StringComparison.Ordinal))
            {
                response.StatusCode = 401;
                response.AddHeader("WWW-Authenticate", "Basic realm=\"x, y\"");
                response.AddHeader("WWW-Authenticate", "negotiate");
            }
            else if (FinalToken is not null)
            {
                response.AddHeader("WWW-Authenticate", "Negotiate " + FinalToken);
            }

            byte[] body = "the impostor's secret\n"u8.ToArray();
            await response.OutputStream.WriteAsync(body);
            response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _serving;
        _listener.Close();
    }
}
