namespace ActivityFeed.Api.Streams;

/// <summary><c>ActivityFeed:Streams</c>.</summary>
public sealed class StreamOptions
{
    public const string Section = "ActivityFeed:Streams";

    /// <summary>A comment line this often keeps proxies and load balancers from closing an idle stream.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Events waiting for one slow connection. When it fills, the stream ends with an <c>error</c>
    /// event and the client resumes from the log with Last-Event-ID: the server never buffers
    /// without bound and never drops an event silently.
    /// </summary>
    public int ConnectionBuffer { get; set; } = 1000;

    /// <summary>How long change events are kept: how far back Last-Event-ID can resume.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Each process re-reads the log this often even without a notification (a lost NOTIFY costs at most this much delay).</summary>
    public TimeSpan SafetyPollInterval { get; set; } = TimeSpan.FromSeconds(10);
}
