using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorAuth.Protocol;

/// <summary>
/// The server's first protected message after the handshake (UTF-8 JSON): as in the seed, the service tells
/// the client who it authenticated and how the session is protected — or, with <c>status = "refused"</c>,
/// why it will not serve this client, just before it closes the connection.
/// </summary>
public sealed record Greeting
{
    /// <summary>"ok", or "refused" (the server closes after sending it).</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = "ok";

    /// <summary>The client principal as the service sees it, e.g. alice@ACTORAUTH.TEST.</summary>
    [JsonPropertyName("client")]
    public string? Client { get; init; }

    /// <summary>The service principal name the service authenticated as.</summary>
    [JsonPropertyName("service")]
    public string? Service { get; init; }

    /// <summary>The package the handshake used (Kerberos when SPNEGO chose it).</summary>
    [JsonPropertyName("package")]
    public string? Package { get; init; }

    /// <summary>"encrypt" or "sign": how every later message of the session is protected.</summary>
    [JsonPropertyName("protection")]
    public string? Protection { get; init; }

    /// <summary>The impersonation level the client allowed: Anonymous, Identification, Impersonation or Delegation.</summary>
    [JsonPropertyName("impersonation")]
    public string? Impersonation { get; init; }

    /// <summary>The operations this client may invoke; the first is the listener's default.</summary>
    [JsonPropertyName("operations")]
    public IReadOnlyList<string>? Operations { get; init; }

    /// <summary>With status "refused": the reason code (as in the server's log).</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    /// <summary>With status "refused": a sentence for people.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; init; }

    /// <summary>True when the server accepted the session.</summary>
    [JsonIgnore]
    public bool IsAccepted => Status == "ok";

    /// <summary>The greeting as UTF-8 JSON.</summary>
    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, GreetingJson.Default.Greeting);

    /// <summary>Parses a greeting; false if the bytes are not one.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out Greeting? greeting)
    {
        try
        {
            greeting = JsonSerializer.Deserialize(utf8, GreetingJson.Default.Greeting);
            return greeting is not null;
        }
        catch (JsonException)
        {
            greeting = null;
            return false;
        }
    }
}

/// <summary>Source-generated JSON for <see cref="Greeting"/> (no reflection on the hot path).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Greeting))]
internal sealed partial class GreetingJson : JsonSerializerContext;
