using System.Globalization;
using System.Text;
using ActorAuth.Server.Sessions;

namespace ActorAuth.Examples.Ledger;

/// <summary><c>balance</c>: replies with the caller's balance. The caller is who the handshake proved, never a name in the request.</summary>
public sealed class BalanceHandler(Ledger ledger) : ISessionHandler
{
    /// <inheritdoc />
    public string Operation => "balance";

    /// <inheritdoc />
    public ValueTask<ReadOnlyMemory<byte>> HandleAsync(SessionIdentity identity, ReadOnlyMemory<byte> request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(ledger.BalanceOf(identity.ClientPrincipal).ToString(CultureInfo.InvariantCulture)));
}

/// <summary><c>deposit</c>: the request is a decimal amount; replies with the new balance.</summary>
public sealed class DepositHandler(Ledger ledger) : ISessionHandler
{
    /// <inheritdoc />
    public string Operation => "deposit";

    /// <inheritdoc />
    public ValueTask<ReadOnlyMemory<byte>> HandleAsync(SessionIdentity identity, ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        if (!long.TryParse(Encoding.UTF8.GetString(request.Span), NumberStyles.None, CultureInfo.InvariantCulture, out long amount))
        {
            throw new FormatException("A deposit is a positive whole number.");
        }

        long balance = ledger.Deposit(identity.ClientPrincipal, amount);
        return ValueTask.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(balance.ToString(CultureInfo.InvariantCulture)));
    }
}
