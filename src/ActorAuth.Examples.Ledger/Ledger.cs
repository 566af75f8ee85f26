using System.Collections.Concurrent;

namespace ActorAuth.Examples.Ledger;

/// <summary>The back end's own state: one balance per authenticated principal, in memory.</summary>
public sealed class Ledger
{
    private readonly ConcurrentDictionary<string, long> _balances = new(StringComparer.Ordinal);

    /// <summary>The principal's balance (0 if it never deposited).</summary>
    public long BalanceOf(string principal) => _balances.GetValueOrDefault(principal);

    /// <summary>Adds <paramref name="amount"/> to the principal's balance and returns the new balance.</summary>
    public long Deposit(string principal, long amount) => _balances.AddOrUpdate(principal, amount, (_, balance) => checked(balance + amount));
}
