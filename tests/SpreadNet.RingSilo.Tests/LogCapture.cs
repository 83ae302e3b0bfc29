using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SpreadNet.RingSilo.Tests;

/// <summary>Keeps the log lines of the silos it is added to, to look for a message.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, EventId Id, string Text)> _lines = new();

    public IEnumerable<(LogLevel Level, EventId Id, string Text)> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                capture._lines.Enqueue((logLevel, eventId, formatter(state, exception)));
            }
        }
    }
}
