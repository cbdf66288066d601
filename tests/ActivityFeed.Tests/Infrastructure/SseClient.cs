using System.Net;
using System.Text.Json;
using System.Threading.Channels;

namespace ActivityFeed.Tests.Infrastructure;

public sealed record SseEvent(string? Id, string Event, string Data, string? Comment = null)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement.Clone();
}

/// <summary>
/// Reads a <c>text/event-stream</c> response as the EventSource spec parses it (id, event, data
/// lines; comments), in the background, so a test can wait for the next event with a timeout.
/// </summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly Channel<SseEvent> _events = Channel.CreateUnbounded<SseEvent>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private SseClient(HttpResponseMessage response)
    {
        _response = response;
        _reading = Task.Run(ReadAsync);
    }

    public static async Task<SseClient> OpenAsync(HttpClient client, string url, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ActivityClient.Cancel);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Fail($"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}"); // only now: a stream's body never ends
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var sse = new SseClient(response);
        var connected = await sse.NextAsync(includeComments: true);
        Assert.Equal("connected", connected.Comment);
        return sse;
    }

    /// <summary>The next event (comments skipped unless asked for); fails the test after <paramref name="timeout"/>.</summary>
    public async Task<SseEvent> NextAsync(TimeSpan? timeout = null, bool includeComments = false)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ActivityClient.Cancel);
        wait.CancelAfter(timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            SseEvent next;
            try
            {
                next = await _events.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("No event arrived in time.");
            }
            catch (ChannelClosedException)
            {
                throw new InvalidOperationException("The stream ended.");
            }

            if (next.Comment is null || includeComments)
            {
                return next;
            }
        }
    }

    /// <summary>The next event of this type, skipping others (e.g. <c>counts</c>).</summary>
    public async Task<SseEvent> NextOfAsync(string eventType, TimeSpan? timeout = null)
    {
        while (true)
        {
            var next = await NextAsync(timeout);
            if (next.Event == eventType)
            {
                return next;
            }
        }
    }

    public bool Ended => _reading.IsCompleted;

    private async Task ReadAsync()
    {
        try
        {
            await using var stream = await _response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(stream);
            string? id = null, type = null;
            var data = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Count > 0)
                    {
                        await _events.Writer.WriteAsync(new SseEvent(id, type ?? "message", string.Join('\n', data)));
                    }

                    (id, type) = (null, null);
                    data.Clear();
                }
                else if (line.StartsWith(':'))
                {
                    await _events.Writer.WriteAsync(new SseEvent(null, "", "", line[1..].Trim()));
                }
                else
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    var field = colon < 0 ? line : line[..colon];
                    var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
                    switch (field)
                    {
                        case "id": id = value; break;
                        case "event": type = value; break;
                        case "data": data.Add(value); break;
                    }
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
        {
            // Closed by the test or the server.
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        try
        {
            await _reading;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
