using System.Text;

namespace ActivityFeed.Api.Streams;

/// <summary>
/// One Server-Sent Event, its data already JSON. <c>Position</c> is the <c>id:</c> (null for
/// <c>counts</c> and <c>error</c>, which are not resumable). The wire bytes are made once and
/// shared: a change fanned out to a thousand feed streams is one message, encoded once.
/// </summary>
public sealed record StreamMessage(long? Position, string Event, string Data)
{
    public const string Activity = "activity";
    public const string Counts = "counts";
    public const string Error = "error";

    private byte[]? _frame;

    public byte[] Frame => _frame ??= Encoding.UTF8.GetBytes(Position is { } position
        ? $"id: {position}\nevent: {Event}\ndata: {Data}\n\n"
        : $"event: {Event}\ndata: {Data}\n\n");
}
