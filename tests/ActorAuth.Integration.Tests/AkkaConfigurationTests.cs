using System.Collections.Concurrent;
using ActorAuth.Hocon;
using ActorAuth.Server.Hosting;
using Akka.Actor;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Xunit;

namespace ActorAuth.Integration.Tests;

/// <summary>
/// The configuration's <c>akka</c> section, resolved by ActorAuth's HOCON reader, configures the actor system
/// <c>AddActorAuth</c> starts, and Akka's own log events reach Serilog.
/// </summary>
[Collection(RealmCollection.Name)]
public sealed class AkkaConfigurationTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"actorauth-akka-{Guid.NewGuid():N}.conf");

    private async Task<IHost> StartAsync(string hocon)
    {
        await File.WriteAllTextAsync(_file, hocon);
        IConfiguration configuration = new ConfigurationBuilder().AddHoconFile(_file).Build();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddActorAuth(configuration);
        IHost host = builder.Build();
        await host.StartAsync();
        return host;
    }

    [Fact]
    public async Task Keys_in_the_akka_section_reach_the_actor_system_as_ActorAuths_reader_resolved_them()
    {
        // Akka's own parser would let the unset ${?VAR} wipe the level; ActorAuth's keeps WARNING.
        using IHost host = await StartAsync("""
            actorauth.server.port = 0
            akka {
              loglevel = WARNING
              loglevel = ${?ACTORAUTH_TEST_SURELY_UNSET}
              actor.ask-timeout = 7s
            }
            """);
        ActorSystem system = host.Services.GetRequiredService<ActorSystem>();

        Assert.Equal("WARNING", system.Settings.LogLevel);
        Assert.Equal(TimeSpan.FromSeconds(7), system.Settings.AskTimeout);
        Assert.Equal(ServiceCollectionExtensions.ActorSystemName, system.Name);
        await host.StopAsync();
    }

    [Fact]
    public async Task Akkas_own_log_events_reach_Serilog()
    {
        var sink = new CollectingSink();
        ILogger previous = Log.Logger;
        Log.Logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();
        try
        {
            using IHost host = await StartAsync("actorauth.server.port = 0");
            ActorSystem system = host.Services.GetRequiredService<ActorSystem>();

            system.DeadLetters.Tell("a letter nobody reads");

            Assert.True(await TestServer.EventuallyAsync(() => sink.Events.Any(e => e.RenderMessage().Contains("a letter nobody reads", StringComparison.Ordinal))),
                string.Join(Environment.NewLine, sink.Events.Select(e => e.RenderMessage())));
            LogEvent deadLetter = sink.Events.First(e => e.RenderMessage().Contains("a letter nobody reads", StringComparison.Ordinal));
            Assert.StartsWith("\"Akka.", deadLetter.Properties["SourceContext"].ToString(), StringComparison.Ordinal);
            await host.StopAsync();
        }
        finally
        {
            Log.Logger = previous;
        }
    }

    public void Dispose() => File.Delete(_file);

    private sealed class CollectingSink : ILogEventSink
    {
        private readonly ConcurrentQueue<LogEvent> _events = new();

        public IReadOnlyCollection<LogEvent> Events => _events.ToArray();

        public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
    }
}
