using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace ActorAuth.Server.Hosting;

/// <summary>
/// Serilog to the console, one line per event, at the level set by <c>actorauth.logging.level</c>: ActorAuth's own
/// lines through Microsoft.Extensions.Logging, Akka's (dead letters, supervision) through Akka.Logger.Serilog,
/// which writes to <see cref="Log.Logger"/> — so the same logger is installed there too.
/// </summary>
public static class ActorAuthLogging
{
    /// <summary>Replaces the host's logging providers with Serilog's console sink.</summary>
    public static ILoggingBuilder AddActorAuthConsole(this ILoggingBuilder logging, IConfiguration configuration)
    {
        string level = configuration["actorauth:logging:level"] ?? "Information";
        if (!Enum.TryParse(level, ignoreCase: true, out LogEventLevel minimum))
        {
            throw new FormatException($"actorauth:logging:level: '{level}' is not one of: {string.Join(", ", Enum.GetNames<LogEventLevel>())}.");
        }

        Serilog.Core.Logger logger = new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose)
            .CreateLogger();
        Log.Logger = logger;
        // A refused start is reported once, as one line, by whoever started the host; not again with a stack by the
        // host or by Akka.Hosting. Provider-specific, because AddSerilog adds its own provider rule, which would win.
        return logging.ClearProviders()
            .AddSerilog(logger, dispose: true)
            .AddFilter<Serilog.Extensions.Logging.SerilogLoggerProvider>("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical)
            .AddFilter<Serilog.Extensions.Logging.SerilogLoggerProvider>("Akka.Hosting.AkkaHostedService", LogLevel.None);
    }
}
