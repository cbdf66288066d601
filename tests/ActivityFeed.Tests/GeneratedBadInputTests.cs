using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActivityFeed.Tests.Infrastructure;
using CsCheck;

namespace ActivityFeed.Tests;

/// <summary>
/// At least 10,240 requests generated with CsCheck from the OpenAPI document, spread over every
/// operation: hostile path segments, query values, headers and bodies (see <see cref="BadValues"/>
/// and <see cref="BadBodies"/>). No answer is a 5xx or a dropped request, and every 4xx is an RFC
/// 9457 problem with its status and trace id. The seed is fixed unless
/// ACTIVITYFEED_BADINPUT_SEED says otherwise; a failure prints the seed, the request's index and
/// the request, and ACTIVITYFEED_BADINPUT_ONLY=index replays that one request.
/// </summary>
public sealed class GeneratedBadInputTests(TwoTenantApiFactory api) : IClassFixture<TwoTenantApiFactory>
{
    public const ulong DefaultSeed = 20261202;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NoGeneratedRequestGetsA5xxAndEvery4xxIsAProblem()
    {
        var seed = Environment.GetEnvironmentVariable("ACTIVITYFEED_BADINPUT_SEED") is { Length: > 0 } given ? ulong.Parse(given, CultureInfo.InvariantCulture) : DefaultSeed;
        var total = Environment.GetEnvironmentVariable("ACTIVITYFEED_BADINPUT_REQUESTS") is { Length: > 0 } count ? int.Parse(count, CultureInfo.InvariantCulture) : 10_240;
        int? only = Environment.GetEnvironmentVariable("ACTIVITYFEED_BADINPUT_ONLY") is { Length: > 0 } index ? int.Parse(index, CultureInfo.InvariantCulture) : null;
        var operations = OpenApiOperations.All;
        var cursor = await IssuedCursorAsync();
        var generators = operations.Select(o => ForOperation(o, api.A, cursor)).ToArray();

        var failures = new ConcurrentBag<(int Index, string Text)>();
        var statuses = new ConcurrentDictionary<int, int>();
        var serverErrors = 0;
        var notProblems = 0;
        var indices = only is { } one ? [one] : Enumerable.Range(0, total);
        await Parallel.ForEachAsync(indices, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Cancel }, async (i, _) =>
        {
            var request = generators[i % generators.Length].Generate(new PCG((uint)i, seed), null, out var _);
            var (status, failure) = await SendAsync(request);
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (failure is null)
            {
                return;
            }

            if (status is >= 500 or 0)
            {
                Interlocked.Increment(ref serverErrors);
            }
            else
            {
                Interlocked.Increment(ref notProblems);
            }

            failures.Add((i, $"request {i} of seed {seed} ({request.Operation}): {failure}\n{request.Describe()}replay: ACTIVITYFEED_BADINPUT_SEED={seed} ACTIVITYFEED_BADINPUT_ONLY={i} dotnet test --filter GeneratedBadInputTests"));
        });

        var sent = statuses.Values.Sum();
        var histogram = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));
        await SecurityReport.RecordAsync("generated bad input",
            $"{sent.ToString("N0", CultureInfo.InvariantCulture)} requests over {operations.Count} operations (seed {seed}), 5xx = {serverErrors}, 4xx not a problem = {notProblems}; statuses {histogram}");
        var byOperation = string.Join("\n", failures.GroupBy(f => f.Text[(f.Text.IndexOf('(') + 1)..f.Text.IndexOf(')')]).Select(g => $"  {g.Count()} × {g.Key}"));
        Assert.True(failures.IsEmpty, $"{failures.Count} generated requests failed (seed {seed}):\n{byOperation}\n\n{string.Join("\n\n", failures.OrderBy(f => f.Index).Take(10).Select(f => f.Text))}");
        Assert.True(only is not null || sent >= 10_000, $"Only {sent} requests were sent.");
    }

    private async Task<(int Status, string? Failure)> SendAsync(GeneratedRequest request)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var message = request.ToMessage();
        HttpResponseMessage response;
        try
        {
            response = await api.ClientWithKey(null).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (Exception exception) when (!Cancel.IsCancellationRequested)
        {
            return (0, $"no answer: {exception}");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (request.Stream && response.IsSuccessStatusCode)
            {
                return (status, null); // an open stream: its headers are the answer
            }

            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(timeout.Token);
            }
            catch (Exception exception) when (!Cancel.IsCancellationRequested)
            {
                return (0, $"{status}, then the body broke off: {exception.GetType().Name}: {exception.Message}");
            }

            if (status >= 500)
            {
                return (status, $"{status}: {Cut(body)}{ServerException(body)}");
            }

            return status >= 400 && ProblemFault(status, response, body) is { } fault ? (status, fault) : (status, null);
        }
    }

    /// <summary>The exception the server logged for this answer's trace id, if it logged one.</summary>
    private string ServerException(string body)
    {
        try
        {
            if (JsonDocument.Parse(body).RootElement.TryGetProperty("trace_id", out var trace) && trace.GetString() is { Length: > 0 } traceId)
            {
                var logged = api.Logs.Lines.FirstOrDefault(l => l.Contains(traceId, StringComparison.Ordinal) && l.Contains("\"@x\"", StringComparison.Ordinal));
                if (logged is not null)
                {
                    var exception = JsonDocument.Parse(logged).RootElement.GetProperty("@x").GetString()!;
                    return "\nserver logged: " + string.Join("\n  ", exception.Split('\n').Take(6));
                }
            }
        }
        catch (JsonException)
        {
        }

        return "";
    }

    /// <summary>What keeps a 4xx from being the contract's problem (as ErrorResponseTests asserts it), or null.</summary>
    private static string? ProblemFault(int status, HttpResponseMessage response, string body)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"{status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}, not application/problem+json: {Cut(body)}";
        }

        try
        {
            var problem = JsonDocument.Parse(body).RootElement;
            foreach (var member in new[] { "type", "title", "status", "detail", "trace_id" })
            {
                if (!problem.TryGetProperty(member, out _))
                {
                    return $"{status} problem lacks '{member}': {Cut(body)}";
                }
            }

            return problem.GetProperty("status").GetInt32() == status ? null : $"{status} problem says status {problem.GetProperty("status")}: {Cut(body)}";
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            return $"{status} problem is not a JSON object with a numeric status: {Cut(body)}";
        }
    }

    /// <summary>A real cursor of A's feed, for the truncated and tampered ones.</summary>
    private async Task<string?> IssuedCursorAsync()
    {
        var page = await (await api.ClientWithKey(api.A.AdminKey).GetAsync($"/orgs/{api.A.OrgId}/activities?take=1", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        return page.GetProperty("next").GetString();
    }

    /// <summary>The generator of one operation's requests: mostly valid ids with one hostile part, so most requests reach the handler.</summary>
    private static Gen<GeneratedRequest> ForOperation(ApiOperation operation, TenantData a, string? cursor)
    {
        var segments = operation.InPath.Select(p =>
        {
            var valid = IdParameters.InPath(operation.Path, p.Name) is { } kind ? a[kind] : "probe";
            return Gen.Frequency((8, Gen.Const(Uri.EscapeDataString(valid))), (1, BadValues.PathSegment))
                .Select(value => (p.Name, value));
        }).ToList();
        var query = operation.InQuery.Select(p => Gen.Frequency(
                (6, Gen.Const<string?>((string?)null)),
                (2, Gen.Const<string?>((string?)Uri.EscapeDataString(ValidValue(operation, p, a)))),
                (3, BadQueryValue(p, cursor).Select(v => (string?)v)))
            .Select(value => value is null ? null : $"{Uri.EscapeDataString(p.Name)}={value}")).ToList();
        var extraQuery = Gen.Frequency(
            (8, Gen.Const("")),
            (1, BadValues.QueryValue.Select(BadValues.QueryValue, (k, v) => $"{k}={v}")),
            (1, Gen.OneOf([.. operation.InQuery.Select(p => p.Name).DefaultIfEmpty("x")]).Select(BadValues.QueryValue, (k, v) => $"{k}&{k}={v}&{k}[]=1")));

        var authorization = Gen.Frequency(
            (14, Gen.Const<string?>((string?)$"Bearer {a.AdminKey}")),
            (3, Gen.Const<string?>((string?)$"Bearer {a.UserToken}")),
            (1, Gen.Const<string?>((string?)null)),
            (1, BadValues.Any.Select(s => (string?)$"Bearer {HeaderSafe(s)}")),
            (1, Gen.OneOf<string?>("Basic YTpi", "Bearer", "Bearer ", "bearer " + a.AdminKey, "Bearer " + a.AdminKey + "x", "Bearer afk.", "Bearer " + a.AdminKey + " " + a.AdminKey)));
        var idempotency = operation.InHeader.Any(h => h.Name == "Idempotency-Key")
            ? Gen.Frequency(
                (4, Gen.Const<string?>((string?)null)),
                (2, Gen.Guid.Select(g => (string?)g.ToString())),
                (3, BadValues.Any.Select(s => (string?)HeaderSafe(s))),
                (1, Gen.Int[129, 20_000].Select(n => (string?)new string('k', n))))
            : Gen.Const<string?>((string?)null);
        var accept = Gen.Frequency(
            (8, Gen.Const<string?>((string?)null)),
            (2, Gen.Const<string?>((string?)"text/event-stream")),
            (1, Gen.OneOf<string?>("application/xml", "*/*", "application/problem+json", "text/html;q=0.1, application/json;q=abc", "\u00ff/\u00ff")),
            (1, BadValues.Any.Select(s => (string?)HeaderSafe(s))));

        var mediaType = operation.BodyMediaTypes.Count > 0 ? operation.BodyMediaTypes[0] : "application/json";
        var contentType = Gen.Frequency(
            (12, Gen.Const<string?>((string?)mediaType)),
            (1, Gen.Const<string?>((string?)null)),
            (2, Gen.OneOf<string?>("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/json; charset=iso-8859-1", "application/json; charset=utf-16", "application/merge-patch+json", "application/json-patch+json", "application/*", "json")),
            (1, BadValues.Any.Select(s => (string?)HeaderSafe(s))));
        var body = operation.Body is { } schema
            ? Gen.Frequency((14, BadBodies.For(schema, name => ValidMember(operation, name, a)).Select(b => (byte[]?)b)), (1, Gen.Const<byte[]?>((byte[]?)null)))
            : Gen.Frequency((10, Gen.Const<byte[]?>((byte[]?)null)), (1, Gen.OneOf<byte[]?>("{}"u8.ToArray(), "x"u8.ToArray(), [0xFF, 0x00])));

        return All(segments).Select(All(query), extraQuery, Gen.Select(authorization, idempotency, accept), Gen.Select(contentType, body),
            (path, parameters, extra, headers, content) =>
            {
                var target = operation.Path;
                foreach (var (name, value) in path)
                {
                    target = target.Replace("{" + name + "}", value, StringComparison.Ordinal);
                }

                var pairs = new List<string>(parameters.OfType<string>()) { extra }.Where(p => p.Length > 0).ToList();
                if (pairs.Count > 0)
                {
                    target += "?" + string.Join('&', pairs);
                }

                var (auth, key, acceptValue) = headers;
                var list = new List<(string, string)>();
                if (auth is not null)
                {
                    list.Add(("Authorization", auth));
                }

                if (key is not null)
                {
                    list.Add(("Idempotency-Key", key));
                }

                if (acceptValue is not null)
                {
                    list.Add(("Accept", acceptValue));
                }

                var (type, bytes) = content;
                return new GeneratedRequest(operation.Name, operation.Method, target, list, bytes, bytes is null ? null : type, operation.IsStream);
            });
    }

    private static Gen<string> BadQueryValue(ApiParameter parameter, string? cursor)
    {
        var name = parameter.Name;
        var type = SchemaSamples.TypeOf(OpenApiOperations.Resolve(parameter.Schema));
        Gen<string> typed;
        if (name is "next" or "last_event_id" or "page" && type != "integer")
        {
            typed = BadValues.Cursor(cursor).Select(Uri.EscapeDataString);
        }
        else if (type is "integer" or "number")
        {
            typed = BadValues.Number.Select(Uri.EscapeDataString);
        }
        else if (type == "boolean")
        {
            typed = Gen.OneOf("maybe", "TRUE", "1", "0", "", "yes", "null", "true,false");
        }
        else if (name.Contains("_at", StringComparison.Ordinal) || parameter.Schema.ValueKind == JsonValueKind.Object && parameter.Schema.TryGetProperty("format", out var f) && f.GetString() == "date-time")
        {
            typed = BadValues.Timestamp.Select(Uri.EscapeDataString);
        }
        else
        {
            typed = BadValues.QueryValue;
        }

        return Gen.Frequency((3, typed), (1, BadValues.QueryValue));
    }

    /// <summary>A value the parameter accepts: A's id for an id, else a sample of its schema.</summary>
    private static string ValidValue(ApiOperation operation, ApiParameter parameter, TenantData a)
    {
        if (IdParameters.InQuery(operation.Name, parameter.Name, idLookingOnly: false) is { } kind && parameter.Name != "type")
        {
            return a[kind];
        }

        return SchemaSamples.Sample(parameter.Schema) switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            { } node => node.ToJsonString(),
            null => "",
        };
    }

    /// <summary>Members a plausible body gets: A's ids, a loopback webhook URL (never a host name to resolve), a built-in type.</summary>
    private static JsonNode? ValidMember(ApiOperation operation, string name, TenantData a)
    {
        return name switch
        {
            "url" => $"http://127.0.0.1:9/{a.Tag}-generated",
            "ids" or "recipients" => new JsonArray(a[IdParameters.InBody(name)!.Value]),
            "type" or "slug" when operation.Path.Contains("activit", StringComparison.Ordinal) && !operation.Path.Contains("activity-types", StringComparison.Ordinal) => "call",
            "scopes" => new JsonArray("activities:read"),
            "events" => new JsonArray("activity.created"),
            _ when IdParameters.InBody(name) is { } kind => a[kind],
            _ => null,
        };
    }

    /// <summary>Header values travel as text: no CR, LF or NUL (the HTTP layer refuses them before the API sees them).</summary>
    private static string HeaderSafe(string value) => new([.. value.Where(c => c >= ' ' && c != '\u007f').Take(8192)]);

    private static Gen<T[]> All<T>(IReadOnlyList<Gen<T>> gens) =>
        gens.Aggregate(Gen.Const(Array.Empty<T>()), (all, next) => all.Select(next, (values, value) => (T[])[.. values, value]));

    private static string Cut(string text) => text.Length <= 600 ? text : text[..600] + "…";
}
