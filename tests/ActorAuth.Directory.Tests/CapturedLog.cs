using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Directory.Tests;

/// <summary>An ILogger that keeps every entry, so a test can wait for the actor to reach a logged step.</summary>
public sealed class CapturedLog : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();
    private readonly SemaphoreSlim _added = new(0);

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        _entries.Enqueue((logLevel, formatter(state, exception)));
        _added.Release();
    }

    /// <summary>Blocks (real time, at most 5 s) until <paramref name="count"/> entries contain <paramref name="fragment"/>.</summary>
    public void WaitFor(string fragment, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (_entries.Count(e => e.Message.Contains(fragment, StringComparison.Ordinal)) < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_added.Wait(left))
            {
                throw new Xunit.Sdk.XunitException($"Expected {count} log entries containing '{fragment}'; got:\n{string.Join("\n", Entries.Select(e => e.Message))}");
            }
        }
    }
}
