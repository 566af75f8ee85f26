using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorAuth.Testing;

/// <summary>A logger provider that keeps every line, so assertions can name what the server said.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>Every line so far, "LEVEL category: message".</summary>
    public IReadOnlyList<string> Lines => _lines.ToArray();

    /// <summary>The last <paramref name="count"/> lines as one block, for failure messages of long runs.</summary>
    public string Tail(int count = 60) => string.Join(Environment.NewLine, _lines.TakeLast(count));

    /// <summary>The lines as one block, for failure messages.</summary>
    public override string ToString() => string.Join(Environment.NewLine, _lines);

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    /// <inheritdoc />
    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
    }
}
