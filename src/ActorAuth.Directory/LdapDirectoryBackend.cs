using System.DirectoryServices.Protocols;
using System.Text;

namespace ActorAuth.Directory;

/// <summary>
/// Active Directory or Samba AD over LDAP (System.DirectoryServices.Protocols), acting for one service account:
/// SPNs go into the account's <c>servicePrincipalName</c> (modify-add, as DsWriteAccountSpn does); the directory
/// itself refuses an SPN held by another account with a constraint violation, which becomes
/// <see cref="SpnConflictException"/> naming that account; the SCP is a <c>serviceConnectionPoint</c> object named
/// <c>CN=&lt;class&gt;-&lt;host&gt;-&lt;instance&gt;</c> (<see cref="ScpNaming"/>) under <see cref="LdapDirectoryOptions.ScpContainerDn"/> or the account's object.
/// Each operation opens, binds and disposes its own connection (start-up makes a handful), with referral chasing
/// off: searches from the domain root return referrals to the configuration partition, which must not be followed.
/// </summary>
public sealed class LdapDirectoryBackend : IDirectoryBackend
{
    private const string SpnAttribute = "servicePrincipalName";

    // OpenLDAP client error codes (RFC 4511 reserves 80+ for the client API): the server is not there to answer.
    private const int LdapErrorServerDown = 81;
    private const int LdapErrorTimeout = 85;
    private const int LdapErrorConnectError = 91;

    private readonly LdapDirectoryOptions _options;
    private string? _accountDn;

    /// <summary>Acts for <see cref="LdapDirectoryOptions.AccountName"/> in the directory <paramref name="options"/> describe.</summary>
    public LdapDirectoryBackend(LdapDirectoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc />
    public string Account => _accountDn ?? _options.AccountName;

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetAccountSpnsAsync(CancellationToken cancellationToken)
    {
        var accountDn = await AccountDnAsync(cancellationToken).ConfigureAwait(false);
        var response = (SearchResponse)await SendAsync(new SearchRequest(accountDn, "(objectClass=*)", SearchScope.Base, SpnAttribute), cancellationToken).ConfigureAwait(false);
        return response.Entries.Count == 0 ? [] : StringValues(response.Entries[0], SpnAttribute);
    }

    /// <inheritdoc />
    public async Task RegisterSpnsAsync(IReadOnlyList<ServicePrincipalName> spns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spns);
        var accountDn = await AccountDnAsync(cancellationToken).ConfigureAwait(false);
        var held = await GetAccountSpnsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var spn in spns.Where(spn => !held.Contains(spn.ToString(), StringComparer.OrdinalIgnoreCase)))
        {
            var text = spn.ToString();
            try
            {
                await SendAsync(new ModifyRequest(accountDn, DirectoryAttributeOperation.Add, SpnAttribute, text), cancellationToken).ConfigureAwait(false);
            }
            catch (DirectoryOperationException e) when (e.Response?.ResultCode is ResultCode.ConstraintViolation)
            {
                throw new SpnConflictException(text, accountDn, await OwnerOfAsync(text, accountDn, cancellationToken).ConfigureAwait(false));
            }
        }
    }

    /// <inheritdoc />
    public async Task RemoveSpnAsync(ServicePrincipalName spn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spn);
        var accountDn = await AccountDnAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SendAsync(new ModifyRequest(accountDn, DirectoryAttributeOperation.Delete, SpnAttribute, spn.ToString()), cancellationToken).ConfigureAwait(false);
        }
        catch (DirectoryOperationException e) when (e.Response?.ResultCode == ResultCode.NoSuchAttribute)
        {
            // Not held: removing is idempotent.
        }
    }

    /// <inheritdoc />
    public async Task<ServiceConnectionPoint> PublishScpAsync(ServiceConnectionPoint scp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scp);
        var dn = await ScpDnAsync(scp, cancellationToken).ConfigureAwait(false);
        var attributes = ScpAttributes(scp);
        try
        {
            var add = new AddRequest(dn, "serviceConnectionPoint");
            add.Attributes.AddRange([.. attributes.Select(a => new DirectoryAttribute(a.Name, a.Values))]);
            await SendAsync(add, cancellationToken).ConfigureAwait(false);
        }
        catch (DirectoryOperationException e) when (e.Response?.ResultCode == ResultCode.EntryAlreadyExists)
        {
            var modify = new ModifyRequest(dn);
            foreach (var (name, values) in attributes)
            {
                modify.Modifications.Add(new DirectoryAttributeModification { Name = name, Operation = DirectoryAttributeOperation.Replace }.With(values));
            }

            await SendAsync(modify, cancellationToken).ConfigureAwait(false);
        }

        return scp with { DistinguishedName = dn };
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ServiceConnectionPoint>> FindScpsAsync(string serviceClass, IReadOnlyList<string>? keywords, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceClass);
        var filter = new StringBuilder("(&(objectClass=serviceConnectionPoint)(serviceClassName=").Append(EscapeFilterValue(serviceClass)).Append(')');
        foreach (var keyword in keywords ?? [])
        {
            filter.Append("(keywords=").Append(EscapeFilterValue(keyword)).Append(')');
        }

        filter.Append(')');
        var request = new SearchRequest(
            _options.BaseDn, filter.ToString(), SearchScope.Subtree,
            "keywords", "serviceClassName", "serviceDNSName", "serviceDNSNameType", "serviceBindingInformation");
        var response = (SearchResponse)await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return [.. response.Entries.Cast<SearchResultEntry>().Select(ToScp)];

        ServiceConnectionPoint ToScp(SearchResultEntry entry)
        {
            var scp = new ServiceConnectionPoint(
                StringValues(entry, "keywords"),
                StringValues(entry, "serviceClassName").FirstOrDefault() ?? serviceClass,
                StringValues(entry, "serviceDNSName").FirstOrDefault() ?? string.Empty,
                StringValues(entry, "serviceDNSNameType").FirstOrDefault() ?? "A",
                StringValues(entry, "serviceBindingInformation"),
                entry.DistinguishedName);
            return scp with { InstanceName = ScpNaming.InstanceOf(CommonName(entry.DistinguishedName), scp.ServiceClassName, scp.ServiceDnsName) };
        }
    }

    /// <summary>The value of a DN's first RDN (<c>CN=actorauth-host-2000,CN=Computers,…</c> → <c>actorauth-host-2000</c>); SCP names hold no escaped characters.</summary>
    private static string CommonName(string dn)
    {
        var first = dn.Split(',', 2)[0];
        var equals = first.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? first : first[(equals + 1)..];
    }

    /// <inheritdoc />
    public async Task RemoveScpAsync(ServiceConnectionPoint scp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scp);
        var dn = scp.DistinguishedName ?? await ScpDnAsync(scp, cancellationToken).ConfigureAwait(false);
        try
        {
            await SendAsync(new DeleteRequest(dn), cancellationToken).ConfigureAwait(false);
        }
        catch (DirectoryOperationException e) when (e.Response?.ResultCode == ResultCode.NoSuchObject)
        {
            // Already gone: removing is idempotent.
        }
    }

    /// <summary>The attributes AD's serviceConnectionPoint class defines for discovery, in a stable order.</summary>
    private static List<(string Name, string[] Values)> ScpAttributes(ServiceConnectionPoint scp) =>
    [
        ("keywords", [.. scp.Keywords]),
        ("serviceClassName", [scp.ServiceClassName]),
        ("serviceDNSName", [scp.ServiceDnsName]),
        ("serviceDNSNameType", [scp.ServiceDnsNameType]),
        ("serviceBindingInformation", [.. scp.ServiceBindingInformation]),
    ];

    private async Task<string> ScpDnAsync(ServiceConnectionPoint scp, CancellationToken cancellationToken) =>
        $"CN={ScpNaming.Of(scp)},{_options.ScpContainerDn ?? await AccountDnAsync(cancellationToken).ConfigureAwait(false)}";

    private async Task<string> AccountDnAsync(CancellationToken cancellationToken)
    {
        if (_accountDn is not null)
        {
            return _accountDn;
        }

        var request = new SearchRequest(_options.BaseDn, $"(sAMAccountName={EscapeFilterValue(_options.AccountName)})", SearchScope.Subtree, "distinguishedName");
        var response = (SearchResponse)await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Entries.Count == 0)
        {
            throw new InvalidOperationException($"No account named {_options.AccountName} under {_options.BaseDn} (or the bound identity may not read it).");
        }

        return _accountDn = response.Entries[0].DistinguishedName;
    }

    /// <summary>The DN of the account that holds <paramref name="spn"/>, other than ours; null if the search cannot see it.</summary>
    private async Task<string?> OwnerOfAsync(string spn, string accountDn, CancellationToken cancellationToken)
    {
        var request = new SearchRequest(_options.BaseDn, $"({SpnAttribute}={EscapeFilterValue(spn)})", SearchScope.Subtree, "distinguishedName");
        var response = (SearchResponse)await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Entries.Cast<SearchResultEntry>().Select(e => e.DistinguishedName)
            .FirstOrDefault(dn => !string.Equals(dn, accountDn, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Sends one request on a fresh, bound connection. "Server down", "connect error" and "timeout" mean the directory
    /// is unreachable (the DirectoryActor retries with backoff); any other failure is the directory's answer and is
    /// thrown as it is. A fresh connection on Linux's libldap now and then fails at once with "server down" against a
    /// healthy server (dotnet/runtime#127070 tracks it in the runtime's own CI), so that one error gets one
    /// immediate second connection before the directory is called unreachable.
    /// </summary>
    private Task<DirectoryResponse> SendAsync(DirectoryRequest request, CancellationToken cancellationToken) => Task.Run(
        () =>
        {
            try
            {
                try
                {
                    using var connection = Connect();
                    return connection.SendRequest(request, _options.Timeout);
                }
                catch (LdapException e) when (e.ErrorCode == LdapErrorServerDown)
                {
                    using var connection = Connect();
                    return connection.SendRequest(request, _options.Timeout);
                }
            }
            catch (LdapException e) when (e.ErrorCode is LdapErrorServerDown or LdapErrorTimeout or LdapErrorConnectError)
            {
                throw new DirectoryUnavailableException(
                    $"LDAP server {_options.Server}:{_options.Port} is unreachable (LDAP error {e.ErrorCode}: {e.Message}).", e);
            }
        },
        cancellationToken);

    private LdapConnection Connect()
    {
        var identifier = new LdapDirectoryIdentifier(_options.Server, _options.Port, fullyQualifiedDnsHostName: false, connectionless: false);
        var connection = new LdapConnection(identifier, _options.Credential, _options.BindMode == LdapBindMode.Simple ? AuthType.Basic : AuthType.Negotiate)
        {
            Timeout = _options.Timeout,
        };
        try
        {
            connection.SessionOptions.ProtocolVersion = 3;
            connection.SessionOptions.ReferralChasing = ReferralChasingOptions.None;
            switch (_options.Transport)
            {
                case LdapTransport.Ldaps:
                    connection.SessionOptions.SecureSocketLayer = true;
                    break;
                case LdapTransport.StartTls:
                    connection.SessionOptions.StartTransportLayerSecurity(null);
                    break;
            }

            connection.Bind();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static List<string> StringValues(SearchResultEntry entry, string attribute) =>
        entry.Attributes.Contains(attribute) ? [.. entry.Attributes[attribute].GetValues(typeof(string)).Cast<string>()] : [];

    /// <summary>RFC 4515 escaping, so a value (an SPN, a keyword) can never change the filter's structure.</summary>
    private static string EscapeFilterValue(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            _ = c switch
            {
                '*' => builder.Append("\\2a"),
                '(' => builder.Append("\\28"),
                ')' => builder.Append("\\29"),
                '\\' => builder.Append("\\5c"),
                '\0' => builder.Append("\\00"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }
}
