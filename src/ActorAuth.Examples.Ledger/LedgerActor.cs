using System.Globalization;
using System.Text;
using ActorAuth.Server.Sessions;
using Akka.Actor;

namespace ActorAuth.Examples.Ledger;

/// <summary>
/// The back end's own state as an actor: one balance per authenticated principal, in memory. It serves ActorAuth's
/// <c>balance</c> and <c>deposit</c> operations; the caller is who the handshake proved, never a name in the request.
/// Being an actor, it needs no lock: ActorAuth's sessions send it requests and it answers them one at a time.
/// </summary>
public sealed class LedgerActor : ReceiveActor
{
    private readonly Dictionary<string, long> _balances = new(StringComparer.Ordinal);

    /// <summary>Creates an empty ledger.</summary>
    public LedgerActor()
    {
        Receive<AuthenticatedRequest>(request => request.Operation == "balance", request => Reply(BalanceOf(request.Identity.ClientPrincipal)));
        Receive<AuthenticatedRequest>(request => request.Operation == "deposit", Deposit);
    }

    private long BalanceOf(string principal) => _balances.GetValueOrDefault(principal);

    /// <summary><c>deposit</c>: the request is a decimal amount; replies with the new balance.</summary>
    private void Deposit(AuthenticatedRequest request)
    {
        if (!long.TryParse(Encoding.UTF8.GetString(request.Body.Span), NumberStyles.None, CultureInfo.InvariantCulture, out long amount))
        {
            Sender.Tell(new Status.Failure(new OperationFailedException("a deposit is a positive whole number")));
            return;
        }

        string principal = request.Identity.ClientPrincipal;
        long balance = checked(BalanceOf(principal) + amount);
        _balances[principal] = balance;
        Reply(balance);
    }

    private void Reply(long balance) => Sender.Tell(Encoding.UTF8.GetBytes(balance.ToString(CultureInfo.InvariantCulture)));
}
