using System.Net;
using System.Text;
using ActorAuth.Security;

namespace ActorAuth.Bench;

/// <summary>
/// One principal the load is spread over, with its <see cref="ClientCredential"/>: its tickets are obtained once
/// (a password's AS exchange, or the ticket cache read once) and shared by every connection made as it, as a real
/// client that connects often should. So a handshake costs a client's GSSAPI work, not an AS exchange with the KDC
/// per handshake, which would measure the KDC rather than the server.
/// </summary>
public sealed class BenchUser : IDisposable
{
    private BenchUser(ClientCredential credential)
    {
        Credential = credential;
        string principal = credential.Principal ?? string.Empty;
        Name = principal.Split('@')[0];
        GreetingClient = Encoding.UTF8.GetBytes(principal.Contains('@') ? $"\"client\":\"{principal}\"" : $"\"client\":\"{Name}@");
    }

    /// <summary>The user name (without realm).</summary>
    public string Name { get; }

    /// <summary>The shared credential every connection of this user is made with.</summary>
    public ClientCredential Credential { get; }

    /// <summary>What the server's greeting must contain for this user, e.g. <c>"client":"alice@ACTORAUTH.TEST"</c>.</summary>
    internal byte[] GreetingClient { get; }

    /// <summary>Obtains <paramref name="name"/>'s tickets with the password in <paramref name="passwordFile"/>.</summary>
    /// <exception cref="SecurityPackageException">The KDC refused the password, or cannot be reached.</exception>
    public static async Task<BenchUser> LoginAsync(string name, string passwordFile, string package, CancellationToken cancellationToken = default)
    {
        string password = (await File.ReadAllTextAsync(passwordFile, cancellationToken).ConfigureAwait(false)).TrimEnd('\r', '\n');
        return new BenchUser(ClientCredential.Acquire(new ClientCredentialOptions { Package = package, Credential = new NetworkCredential(name, password) }));
    }

    /// <summary>The principal of the default ticket cache (<c>KRB5CCNAME</c>, e.g. after kinit).</summary>
    /// <exception cref="SecurityPackageException">No usable ticket-granting ticket in the cache.</exception>
    public static BenchUser FromTicketCache(string package) =>
        new(ClientCredential.Acquire(new ClientCredentialOptions { Package = package }));

    /// <inheritdoc />
    public void Dispose() => Credential.Dispose();
}
