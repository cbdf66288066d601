using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

/// <summary>
/// For every operation of the OpenAPI document and every id it takes (path, query, body), org A's
/// callers given org B's org, ids and cursors get a 404 (or, where the id is a name A's org may use
/// too, an empty answer) that shows nothing of B: not in bodies, counts, cursors, headers or error
/// details; user tokens get nothing of another user's inbox; B's data is unchanged afterwards.
/// </summary>
public sealed class CrossTenantProbeTests(TwoTenantApiFactory api) : IClassFixture<TwoTenantApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Operations no probe can apply to, each with the reason.</summary>
    private static readonly Dictionary<string, string> Excluded = new()
    {
        ["GET /health/live"] = "anonymous liveness: takes no id and reads no tenant's rows",
        ["GET /health/ready"] = "anonymous readiness: takes no id and reads no tenant's rows",
    };

    private enum Expect
    {
        /// <summary>Exactly 404 (a problem).</summary>
        NotFound,

        /// <summary>404, a refusal (400/403/409/422), or a 2xx whose lists and counts are empty.</summary>
        Hidden,

        /// <summary>Any non-5xx answer (a write in the caller's own org that names B's values).</summary>
        Answered,
    }

    /// <param name="Control">The same request over the caller's own ids: a body it refuses too (400) is refused before any lookup, which shows nothing.</param>
    /// <param name="ForeignBody">A write in A's org that names B's values: run after every other probe, since what it creates in A carries them.</param>
    private sealed record Probe(ApiOperation Operation, string Why, string Token, string Path, string? Body, Expect Expect, string? Control = null, bool ForeignBody = false);

    [Fact]
    public async Task EveryOperationGivenAnotherOrgsIdsAnswers404OrEmptyAndLeaksNothing()
    {
        var operations = OpenApiOperations.All.Where(o => !Excluded.ContainsKey(o.Name)).ToList();
        var before = await SnapshotAsync(api.B, operations);
        var probes = new List<Probe>();
        foreach (var operation in operations)
        {
            probes.AddRange(await PlanAsync(operation, operations));
        }

        var unprobed = operations.Where(o => probes.All(p => p.Operation != o)).Select(o => o.Name).ToList();
        Assert.True(unprobed.Count == 0, $"Operations with no cross-tenant probe (teach the suite their parameters, or exclude them with a reason): {string.Join(", ", unprobed)}");

        var failures = new List<string>();
        var leaks = 0;
        var notFound = 0;
        // Reads first, then writes, then deletes (which could take away what earlier probes stand on),
        // then writes that put B's values into A's org (an A row with B's ids is A's, but would fill A's lists).
        foreach (var probe in probes.OrderBy(p => (p.ForeignBody, p.Operation.Method switch { "GET" => 0, "DELETE" => 2, _ => 1 })))
        {
            var (status, leak, problem) = await RunAsync(probe);
            notFound += status == 404 ? 1 : 0;
            if (leak is not null)
            {
                leaks++;
            }

            if (leak is not null || problem is not null)
            {
                failures.Add($"{probe.Operation.Name} [{probe.Why}] {probe.Path} {probe.Body}: {status} {(leak is null ? "" : $"leaks '{leak}' ")}{problem}");
            }
        }

        var after = await SnapshotAsync(api.B, operations);
        var changed = before.Where(b => after.GetValueOrDefault(b.Key) != b.Value).Select(b => $"{b.Key}\n  before: {b.Value}\n  after:  {after.GetValueOrDefault(b.Key)}").ToList();
        await SecurityReport.RecordAsync("cross-tenant probes",
            $"{probes.Count.ToString("N0", CultureInfo.InvariantCulture)} requests over {operations.Count} operations, {notFound} answered 404, {leaks} leaks, {changed.Count} of B's {before.Count} views changed");
        Assert.True(failures.Count == 0, $"{failures.Count} of {probes.Count} probes failed:\n{string.Join("\n", failures.Take(40))}");
        Assert.True(changed.Count == 0, $"Probes changed org B's data:\n{string.Join("\n", changed)}");
    }

    private async Task<List<Probe>> PlanAsync(ApiOperation operation, IReadOnlyList<ApiOperation> all)
    {
        var a = api.A;
        var b = api.B;
        var probes = new List<Probe>();
        var pathKinds = operation.InPath.ToDictionary(p => p.Name, p => IdParameters.InPath(operation.Path, p.Name)
            ?? throw new InvalidOperationException($"{operation.Name}: no id kind known for path parameter '{p.Name}'; teach IdParameters.InPath."));
        var caller = await CallerAsync(operation, all, a);
        string PathWith(TenantData owner, string? foreignParameter = null, TenantData? foreign = null, string? value = null) =>
            PathTemplates.Fill(operation.Path, name => name == foreignParameter ? value ?? foreign![pathKinds[name]] : owner[pathKinds[name]]);
        string? BodyWith(TenantData ids) => Body(operation, ids);

        if (pathKinds.ContainsKey("org_id"))
        {
            probes.Add(new Probe(operation, "A's admin key, B's org and ids", a.AdminKey, PathWith(b), BodyWith(b), Expect.NotFound));
            probes.Add(new Probe(operation, "A's user token, B's org and ids", a.UserToken, PathWith(b), BodyWith(b), Expect.NotFound));
        }

        foreach (var (name, kind) in pathKinds.Where(p => p.Key != "org_id"))
        {
            probes.Add(new Probe(operation, $"A's caller, B's {name}", caller, PathWith(a, name, b), BodyWith(a),
                IdParameters.IsServerGenerated(kind) ? Expect.NotFound : Expect.Hidden, Control: PathWith(a)));
            if (kind == IdKind.User)
            {
                // A user token on another user's path: another user's inbox is a 404; admin paths are a 403.
                var inbox = operation.Path.Contains("/inbox", StringComparison.Ordinal);
                probes.Add(new Probe(operation, "A's user token, A's other user", a.UserToken, PathWith(a, name, value: a[IdKind.OtherUser]), BodyWith(a),
                    inbox ? Expect.NotFound : Expect.Hidden));
            }

            if (kind == IdKind.Activity && caller == a.UserToken)
            {
                probes.Add(new Probe(operation, "A's user token, an activity only A's other user receives", a.UserToken,
                    PathWith(a, name, value: a.OtherUsersActivity), BodyWith(a), Expect.NotFound, Control: PathWith(a)));
            }
        }

        foreach (var parameter in operation.InQuery)
        {
            if (IdParameters.InQuery(operation.Name, parameter.Name) is not { } kind)
            {
                continue;
            }

            var query = $"?{parameter.Name}={Uri.EscapeDataString(b[kind])}";
            probes.Add(new Probe(operation, $"A's caller, B's {parameter.Name} filter", caller, PathWith(a) + query, BodyWith(a), Expect.Hidden));
        }

        if (operation.Body is not null && BodyWith(b) is { } foreignBody && foreignBody != BodyWith(a))
        {
            probes.Add(new Probe(operation, "A's caller, B's ids in the body", caller, PathWith(a), foreignBody, Expect.Answered, ForeignBody: true));
        }

        if (operation.Method == "GET" && !operation.IsStream && operation.InQuery.Any(p => p.Name == "next"))
        {
            var cursor = await ForeignCursorAsync(operation, all, b);
            if (cursor is not null)
            {
                // A's answer to B's cursor is A's own rows or a 400: any, so long as it shows nothing of B.
                probes.Add(new Probe(operation, "A's caller, B's cursor", caller, PathWith(a) + $"?next={Uri.EscapeDataString(cursor)}", null, Expect.Answered));
            }
        }

        return probes;
    }

    /// <summary>The admin key, unless the operation (or its path's GET) refuses it: then the user token (user-scope dialect paths).</summary>
    private async Task<string> CallerAsync(ApiOperation operation, IReadOnlyList<ApiOperation> all, TenantData tenant)
    {
        var read = operation.Method == "GET" ? operation : all.FirstOrDefault(o => o.Method == "GET" && o.Path == operation.Path);
        if (read is null)
        {
            return tenant.AdminKey;
        }

        var path = PathTemplates.Fill(read.Path, name => tenant[IdParameters.InPath(read.Path, name) ?? IdKind.Org]);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await api.ClientWithKey(tenant.AdminKey).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        return response.StatusCode == HttpStatusCode.Forbidden ? tenant.UserToken : tenant.AdminKey;
    }

    /// <summary>A <c>next</c> cursor of B's own first page of this list, or null when B's list has one page.</summary>
    private async Task<string?> ForeignCursorAsync(ApiOperation operation, IReadOnlyList<ApiOperation> all, TenantData b)
    {
        var path = PathTemplates.Fill(operation.Path, name => b[IdParameters.InPath(operation.Path, name) ?? IdKind.Org]);
        var caller = await CallerAsync(operation, all, b);
        var response = await api.ClientWithKey(caller).GetAsync(path + "?take=1", Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        return response.IsSuccessStatusCode && JsonDocument.Parse(body).RootElement.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String
            ? next.GetString()
            : null;
    }

    private async Task<(int Status, string? Leak, string? Problem)> RunAsync(Probe probe)
    {
        using var response = await SendAsync(probe, probe.Path);
        var status = (int)response.StatusCode;
        // A stream that opened never ends: its events are CrossTenantStreamTests' to check.
        var body = probe.Operation.IsStream && response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync(Cancel);
        var leak = LeakCheck.Find(api.B.Secrets, probe.Path + "\n" + probe.Body, response, body);
        string? problem = status >= 500 ? $"server error: {body}" : null;
        if (problem is null && status == 400 && probe.Expect == Expect.NotFound && probe.Control is not null && probe.Body is not null)
        {
            using var control = await SendAsync(probe, probe.Control);
            if (control.StatusCode == HttpStatusCode.BadRequest)
            {
                return (status, leak, null); // the body is refused whoever's id is in the path
            }
        }

        problem ??= probe.Expect switch
        {
            Expect.NotFound when status != 404 => $"expected 404: {Truncate(body)}",
            Expect.Hidden when !(status is 400 or 403 or 404 or 409 or 422 || (status is >= 200 and < 300 && IsEmpty(body))) => $"expected 404 or an empty answer: {Truncate(body)}",
            _ => null,
        };
        if (problem is null && status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            problem = $"a {status} that is not a problem: {Truncate(body)}";
        }

        return (status, leak, problem);
    }

    private Task<HttpResponseMessage> SendAsync(Probe probe, string path)
    {
        var method = new HttpMethod(probe.Operation.Method);
        var request = new HttpRequestMessage(method, path);
        if (probe.Body is not null)
        {
            request.Content = new StringContent(probe.Body, Encoding.UTF8, probe.Operation.BodyMediaTypes.Contains("application/json") ? "application/json" : probe.Operation.BodyMediaTypes[0]);
        }

        if (probe.Operation.IsStream)
        {
            request.Headers.Accept.ParseAdd("text/event-stream");
        }

        return api.ClientWithKey(probe.Token).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
    }

    /// <summary>An answer with no rows: every top-level list empty, every total and count zero.</summary>
    private static bool IsEmpty(string body)
    {
        if (body.Length == 0)
        {
            return true;
        }

        var root = JsonDocument.Parse(body).RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return root.ValueKind != JsonValueKind.Array || root.GetArrayLength() == 0;
        }

        return root.EnumerateObject().All(m => m.Value.ValueKind switch
        {
            JsonValueKind.Array => m.Value.GetArrayLength() == 0,
            JsonValueKind.Number => m.Name is not ("total" or "total_count" or "unread" or "unseen" or "deleted" or "updated") || m.Value.GetInt64() == 0,
            _ => true,
        });
    }

    /// <summary>A sample body for the operation whose id members carry this tenant's ids.</summary>
    private static string? Body(ApiOperation operation, TenantData ids)
    {
        if (operation.Body is not { } schema)
        {
            return null;
        }

        JsonNode? Member(string name)
        {
            if (IdParameters.InBody(name) is not { } kind)
            {
                return null;
            }

            return name is "ids" or "recipients" ? new JsonArray(ids[kind]) : ids[kind];
        }

        return SchemaSamples.Sample(schema, Member)?.ToJsonString() ?? "null";
    }

    /// <summary>Every read view of a tenant (GET operations over its own ids), all read twice, so the reads with side effects (the user-scope CRM list marks the inbox read) have settled.</summary>
    private async Task<Dictionary<string, string>> SnapshotAsync(TenantData tenant, IReadOnlyList<ApiOperation> operations)
    {
        var views = new Dictionary<string, string>();
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var operation in operations.Where(o => o.Method == "GET" && !o.IsStream))
            {
                var path = PathTemplates.Fill(operation.Path, name => tenant[IdParameters.InPath(operation.Path, name) ?? IdKind.Org]);
                var caller = await CallerAsync(operation, operations, tenant);
                var response = await api.ClientWithKey(caller).GetAsync(path, Cancel);
                views[path] = $"{(int)response.StatusCode} {Volatile(await response.Content.ReadAsStringAsync(Cancel))}";
            }
        }

        return views;
    }

    /// <summary>The body without what reading itself changes (when a key or token was last used, trace ids).</summary>
    private static string Volatile(string body)
    {
        try
        {
            var node = JsonNode.Parse(body);
            Strip(node);
            return node?.ToJsonString() ?? "";
        }
        catch (JsonException)
        {
            return body;
        }

        static void Strip(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var name in obj.Select(m => m.Key).Where(k => k is "last_used_at" or "trace_id").ToList())
                    {
                        obj.Remove(name);
                    }

                    foreach (var (_, value) in obj)
                    {
                        Strip(value);
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Strip(item);
                    }

                    break;
            }
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
