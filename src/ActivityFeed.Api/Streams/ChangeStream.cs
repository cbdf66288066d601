using System.Buffers;
using System.Reflection;
using ActivityFeed.Api.Activities;
using Microsoft.AspNetCore.Http.Metadata;

namespace ActivityFeed.Api.Streams;

/// <summary>
/// An open <c>text/event-stream</c>: subscribe, replay the log after the resume position, then go
/// live, skipping what the replay already sent (so the seam has no gap and no duplicate). Written
/// by hand rather than with <c>TypedResults.ServerSentEvents</c>, which cannot write the comment
/// lines the heartbeat is.
/// </summary>
public sealed class ChangeStream(StreamSubscriber subscriber, long? resumeAfter, StreamHub hub, ChangeBatchReader reader) : IResult, IEndpointMetadataProvider
{
    public const string ContentType = "text/event-stream";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var abort = httpContext.RequestAborted;
        var response = httpContext.Response;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass events through as they come

        try
        {
            await hub.SubscribeAsync(subscriber).WaitAsync(abort);
            var (last, sweptThrough) = await reader.PositionAsync(subscriber.OrgId, abort);
            var through = resumeAfter ?? last;
            await WriteAsync(response, Connected, abort);
            if (through < sweptThrough)
            {
                await WriteAsync(response, new StreamMessage(null, StreamMessage.Error, Problem(StatusCodes.Status410Gone,
                    "Events were lost",
                    $"Last-Event-ID {through} is older than the change log keeps ({hub.Options.Retention.TotalDays:0.##} days): the events after it up to {sweptThrough} are gone. The stream continues with every event still kept.")), abort);
                through = sweptThrough;
            }

            if (subscriber.InboxUser is { } user)
            {
                var counts = (await reader.CountsAsync(subscriber.OrgId, [user], abort))[user];
                subscriber.LastUnread = counts.Unread;
                await WriteAsync(response, new StreamMessage(null, StreamMessage.Counts, ActivityMapping.Serialize(counts)), abort);
            }

            // Replay: everything after the resume position, read straight from the log.
            ChangeBatchReader.Batch batch;
            do
            {
                batch = await reader.ReadAsync(subscriber.OrgId, through, () => [subscriber], abort);
                if (batch.Messages.Count > 0)
                {
                    await WriteAsync(response, batch.Messages.Select(m => m.Message.Frame), abort);
                }

                through = batch.LastPosition;
            }
            while (batch.EventCount == ChangeBatchReader.BatchSize);

            await LiveAsync(response, through, abort);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            hub.Unsubscribe(subscriber);
        }
    }

    private async Task LiveAsync(HttpResponse response, long through, CancellationToken abort)
    {
        var heartbeat = hub.Options.HeartbeatInterval;
        var buffer = subscriber.Reader;
        // One delay per heartbeat interval, not one timer per wait: a thousand streams woken ten
        // times a second would otherwise create and cancel ten thousand timers a second.
        var heartbeatDue = Task.Delay(heartbeat, abort);
        Task<bool>? pendingRead = null;
        while (true)
        {
            pendingRead ??= buffer.WaitToReadAsync(abort).AsTask();
            if (await Task.WhenAny(pendingRead, heartbeatDue) == heartbeatDue)
            {
                abort.ThrowIfCancellationRequested();
                await WriteAsync(response, Heartbeat, abort);
                heartbeatDue = Task.Delay(heartbeat, abort);
                continue;
            }

            var ready = await pendingRead;
            pendingRead = null;
            if (!ready)
            {
                await WriteAsync(response, new StreamMessage(null, StreamMessage.Error, subscriber.Overflowed
                    ? Problem(StatusCodes.Status503ServiceUnavailable, "Stream closed: the client fell behind",
                        $"More than {hub.Options.ConnectionBuffer} events waited for this connection. Reconnect with Last-Event-ID to resume from the log; nothing is lost.")
                    : Problem(StatusCodes.Status503ServiceUnavailable, "Stream closed: the server could not follow the change log",
                        "Reconnect with Last-Event-ID to resume; nothing is lost.")), abort);
                return;
            }

            var frames = new List<byte[]>();
            while (buffer.TryRead(out var message))
            {
                if (message.Position is { } position)
                {
                    if (position <= through)
                    {
                        continue; // the replay sent it
                    }

                    through = position;
                }

                frames.Add(message.Frame);
            }

            if (frames.Count > 0)
            {
                await WriteAsync(response, frames, abort);
            }
        }
    }

    private static readonly byte[] Connected = ": connected\n\n"u8.ToArray();
    private static readonly byte[] Heartbeat = ": heartbeat\n\n"u8.ToArray();

    private static string Problem(int status, string title, string detail) =>
        ActivityMapping.Serialize(new { type = "about:blank", title, status, detail });

    private static Task WriteAsync(HttpResponse response, StreamMessage message, CancellationToken abort) => WriteAsync(response, [message.Frame], abort);

    private static Task WriteAsync(HttpResponse response, byte[] frame, CancellationToken abort) => WriteAsync(response, [frame], abort);

    /// <summary>The frames into the response's pipe, then one flush: a burst is one write to the socket.</summary>
    private static async Task WriteAsync(HttpResponse response, IEnumerable<byte[]> frames, CancellationToken abort)
    {
        foreach (var frame in frames)
        {
            response.BodyWriter.Write(frame);
        }

        await response.BodyWriter.FlushAsync(abort);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), [ContentType]));
}
