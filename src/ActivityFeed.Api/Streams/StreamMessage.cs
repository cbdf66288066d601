namespace ActivityFeed.Api.Streams;

/// <summary>One Server-Sent Event, its data already JSON. <c>Position</c> is the <c>id:</c> (null for <c>counts</c>, which is not resumable).</summary>
public sealed record StreamMessage(long? Position, string Event, string Data)
{
    public const string Activity = "activity";
    public const string Counts = "counts";
    public const string Error = "error";
}
