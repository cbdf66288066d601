using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

/// <summary>
/// Org A's live streams (every stream operation of the OpenAPI document, by admin key and by user
/// token, unfiltered and filtered on B's contact id) stay open while org B writes and show none of
/// it. Its own fixture: the control activity it writes in A would fill A's lists for the probes.
/// </summary>
public sealed class CrossTenantStreamTests(TwoTenantApiFactory api) : IClassFixture<TwoTenantApiFactory>
{
    [Fact]
    public async Task StreamsOfTheCallersOwnOrgCarryNoEventOfAnotherOrg()
    {
        var a = api.A;
        var b = api.B;
        var streams = OpenApiOperations.All.Where(o => o.IsStream).ToList();
        Assert.NotEmpty(streams);
        var open = new List<(string Url, SseClient Stream)>();
        foreach (var operation in streams)
        {
            foreach (var (token, user) in new[] { (a.AdminKey, a[IdKind.User]), (a.UserToken, "me") })
            {
                var url = PathTemplates.Fill(operation.Path, name => name == "user_id" ? user : a[IdKind.Org]);
                open.Add((url, await SseClient.OpenAsync(api.ClientWithKey(token), url)));
                var filtered = url + $"?contact_id={b[IdKind.Contact]}";
                open.Add((filtered, await SseClient.OpenAsync(api.ClientWithKey(token), filtered)));
            }
        }

        // B's activity, to B's users (whose ids A's users do not share), on B's contact; then A's own
        // on a contact of the same id, which every one of A's streams shows. The change log orders
        // B's write first, so a stream that would leak it shows it before A's.
        await api.ClientWithKey(b.AdminKey).CreateActivityAsync(b.OrgId, new
        {
            type = "call", contact_id = b[IdKind.Contact], title = $"{b.Tag}-secret streamed", recipients = new[] { b[IdKind.User] },
        });
        var control = $"{a.Tag} control written after org B";
        await api.ClientWithKey(a.AdminKey).CreateActivityAsync(a.OrgId, new { type = "call", contact_id = b[IdKind.Contact], title = control, recipients = new[] { a[IdKind.User] } });
        var heard = await Task.WhenAll(open.Select(o => EventsUntilAsync(o.Stream, control)));
        var secrets = b.Secrets.Where(s => s != b[IdKind.Contact]).ToList(); // A may name a contact of that id too
        var leaked = open.Zip(heard).SelectMany(o => o.Second.Where(e => secrets.Any(s => e.Contains(s, StringComparison.Ordinal))).Select(e => $"{o.First.Url}: {e}")).ToList();
        var deaf = open.Zip(heard).Where(o => !o.Second.Any(e => e.Contains(control, StringComparison.Ordinal))).Select(o => o.First.Url).ToList();
        await SecurityReport.RecordAsync("cross-tenant streams", $"{open.Count} streams of org A open while org B wrote, {leaked.Count} leaks");
        Assert.Empty(leaked);
        Assert.True(deaf.Count == 0, $"Streams that did not show A's own activity written after B's, so proved nothing: {string.Join(", ", deaf)}");
    }

    /// <summary>What a stream says up to the event that mentions <paramref name="last"/> (or 15 s of quiet).</summary>
    private static async Task<List<string>> EventsUntilAsync(SseClient stream, string last)
    {
        var events = new List<string>();
        await using (stream)
        {
            try
            {
                while (events.Count == 0 || !events[^1].Contains(last, StringComparison.Ordinal))
                {
                    var next = await stream.NextAsync(TimeSpan.FromSeconds(15));
                    events.Add($"{next.Event}: {next.Data}");
                }
            }
            catch (TimeoutException)
            {
                // Quiet for 15 s without the last event: the caller reports the stream as deaf.
            }
        }

        return events;
    }
}
