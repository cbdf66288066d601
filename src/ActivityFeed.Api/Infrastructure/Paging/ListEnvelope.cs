namespace ActivityFeed.Api.Infrastructure.Paging;

/// <summary>The one list shape of the API. <c>page</c> is null when paging by <c>next</c>.</summary>
public sealed record ListEnvelope<T>(
    IReadOnlyList<T> Items,
    string? Next,
    bool HasMore,
    int Take,
    int? Page,
    long? TotalCount,
    int? TotalPages);
