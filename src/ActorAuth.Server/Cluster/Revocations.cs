using System.Collections.Frozen;

namespace ActorAuth.Server.Cluster;

/// <summary>
/// The principals refused now, as the session registry last published them: read by every handshake (one volatile
/// read, no message) and written only by the <see cref="SessionRegistryActor"/>, which replaces the whole set.
/// </summary>
public sealed class Revocations
{
    private FrozenDictionary<string, long> _until = FrozenDictionary<string, long>.Empty;

    /// <summary>True when <paramref name="principal"/> is refused now; <paramref name="untilUnixMs"/> says until when.</summary>
    public bool IsRevoked(string principal, out long untilUnixMs) =>
        Volatile.Read(ref _until).TryGetValue(principal, out untilUnixMs) && untilUnixMs > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    internal void Publish(IReadOnlyDictionary<string, long> until) => Volatile.Write(ref _until, until.ToFrozenDictionary(StringComparer.Ordinal));
}
