using System.Threading.Channels;
using ActivityFeed.Api.Activities.Feeds;

namespace ActivityFeed.Api.Streams;

/// <summary>
/// One open stream: its filters (and inbox user), and a bounded buffer between the process's
/// change reader and the connection. A full buffer ends the subscription rather than growing or
/// dropping: the connection then tells the client to resume with Last-Event-ID.
/// </summary>
public sealed class StreamSubscriber(string orgId, FeedFilters filters, string? inboxUser, int capacity)
{
    private readonly Channel<StreamMessage> _buffer = Channel.CreateBounded<StreamMessage>(
        new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait });

    public string OrgId { get; } = orgId;
    public FeedFilters Filters { get; } = filters;

    /// <summary>Null for the org feed's stream; the user for an inbox stream.</summary>
    public string? InboxUser { get; } = inboxUser;

    /// <summary>The unread count last sent, so <c>counts</c> goes out only when it changes.</summary>
    public long? LastUnread { get; set; }

    public bool Overflowed { get; private set; }

    /// <summary>The server could not follow the log (database away): the stream ends so the client reconnects and resumes.</summary>
    public bool Failed { get; private set; }

    public void Fail()
    {
        Failed = true;
        _buffer.Writer.TryComplete();
    }

    public ChannelReader<StreamMessage> Reader => _buffer.Reader;

    /// <returns>False when the buffer was full: the subscription is over.</returns>
    public bool Offer(StreamMessage message)
    {
        if (_buffer.Writer.TryWrite(message))
        {
            return true;
        }

        Overflowed = true;
        _buffer.Writer.TryComplete();
        return false;
    }
}
