using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace ActivityFeed.Tests.Infrastructure;

/// <summary>Every log line a test host writes, rendered with its properties, for assertions on what is logged.</summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        new Serilog.Formatting.Compact.CompactJsonFormatter().Format(logEvent, writer);
        _lines.Enqueue(writer.ToString());
    }
}
