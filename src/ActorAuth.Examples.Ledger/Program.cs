using ActorAuth.Examples.Ledger;
using Microsoft.Extensions.Hosting;

// Serves the ledger on 127.0.0.1:2001 until Ctrl-C. Export the dev realm's variables first:
//   eval "$(dotnet run --project src/ActorAuth.Cli -- realm up)"
//   dotnet run --project src/ActorAuth.Examples.Ledger
//   dotnet run --project src/ActorAuth.Cli -- client --port 2001 --user alice --password-file .actorauth/realm/alice.password --operation deposit --message 10
using IHost host = LedgerBackend.Build();
await host.RunAsync();
