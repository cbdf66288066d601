using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace ActivityFeed.Tests.Infrastructure;

/// <summary>
/// CsCheck generators of request bodies for an operation's schema: a plausible body with one
/// member given a wrong type or a hostile value, a required member missing, an unknown member,
/// duplicate members, 10,000-deep nesting, invalid UTF-8, NUL bytes, truncated or non-JSON text,
/// and bodies either side of the 1 MiB limit.
/// </summary>
public static class BadBodies
{
    /// <summary>Raw JSON tokens a JsonNode cannot hold (numbers past double, duplicates are in <see cref="Duplicated"/>).</summary>
    private static readonly string[] RawTokens = ["1e309", "-1e309", "-0", "1e-400", "9223372036854775808", "-9223372036854775809", "18446744073709551616", "0.1e-99999", "123456789012345678901234567890"];

    private const string RawMark = "\u0001raw:";

    public static Gen<byte[]> For(JsonElement schema, Func<string, JsonNode?> validMember)
    {
        var (properties, required) = SchemaSamples.Members(Variant(schema));
        var names = properties.Select(p => p.Name).ToArray();
        JsonObject Valid() => SchemaSamples.Sample(schema, validMember, allMembers: true) as JsonObject ?? [];

        var memberValue = Gen.Frequency(
            (4, BadValues.Any.Select(s => (JsonNode?)JsonValue.Create(s))),
            (2, Gen.OneOf(RawTokens).Select(t => (JsonNode?)JsonValue.Create(RawMark + t))),
            (2, Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l))),
            (1, Gen.Double.Select(d => double.IsFinite(d) ? (JsonNode?)JsonValue.Create(d) : JsonValue.Create(RawMark + "1e309"))),
            (2, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
            (2, Gen.Const<JsonNode?>((JsonNode?)null)),
            (2, BadValues.Any.Array[0, 5].Select(a => (JsonNode?)new JsonArray([.. a.Select(s => (JsonNode?)JsonValue.Create(s))]))),
            (2, BadValues.Any.Select(s => (JsonNode?)new JsonObject { [s.Length > 200 ? s[..200] : s] = s })),
            (1, Gen.Int[1, 4000].Select(n => (JsonNode?)JsonValue.Create(RawMark + Nested(n)))),
            (1, Gen.Int[0, 2000].Select(n => (JsonNode?)new JsonArray([.. Enumerable.Range(0, n).Select(i => (JsonNode?)JsonValue.Create(i))]))));

        Gen<byte[]> Json(Gen<JsonNode?> gen) => gen.Select(node => Encoding.UTF8.GetBytes(Render(node)));

        var oneMemberBad = names.Length == 0
            ? memberValue.Select(v => (JsonNode?)new JsonObject { ["unknown"] = v })
            : Gen.Int[0, names.Length - 1].Select(memberValue, (i, v) =>
            {
                var body = Valid();
                body[names[i]] = v;
                return (JsonNode?)body;
            });
        var missingRequired = required.Count == 0
            ? Gen.Const<JsonNode?>((JsonNode?)new JsonObject())
            : Gen.Int[0, required.Count - 1].Select(i =>
            {
                var body = Valid();
                body.Remove(required.ElementAt(i));
                return (JsonNode?)body;
            });
        var extraMember = BadValues.Any.Select(memberValue, (name, v) =>
        {
            var body = Valid();
            body[name.Length > 256 ? name[..256] : name + "_extra"] = v;
            return (JsonNode?)body;
        });
        var hugeMember = names.Length == 0
            ? BadValues.Huge.Select(h => (JsonNode?)JsonValue.Create(h))
            : Gen.Int[0, names.Length - 1].Select(BadValues.Huge, (i, h) =>
            {
                var body = Valid();
                body[names[i]] = h;
                return (JsonNode?)body;
            });

        return Gen.Frequency(
            (10, Json(oneMemberBad)),
            (3, Json(missingRequired)),
            (3, Json(extraMember)),
            (1, Json(hugeMember)),
            (2, Json(memberValue)), // the whole body of a wrong type
            (2, Gen.Const(0).Select(_ => Encoding.UTF8.GetBytes(Duplicated(Valid())))),
            (2, Gen.Int[1, 10_000].Select(n => Encoding.UTF8.GetBytes(Nested(n)))),
            (2, InvalidUtf8(Valid)),
            (2, Gen.Int[0, 200].Select(n => Truncated(Render(Valid()), n))),
            (2, Gen.OneOf("", " ", "\0", "null", "[]", "123", "\"text\"", "{", "}", "{\"a\"}", "{\"a\":}", "{,}", "[1,]", "{\"a\":1,}", "/* */{}", "{\"a\":1}{\"b\":2}", "\uFEFF{}", "{'a':1}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"\\ud800\":1}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\u0000\"}")
                .Select(Encoding.UTF8.GetBytes)),
            (1, Valid().Count == 0 ? Gen.Const(Encoding.UTF8.GetBytes("{}")) : Gen.Const(0).Select(_ => Encoding.UTF8.GetBytes(Render(Valid())))));
    }

    /// <summary>The first variant of a union (the body's members to vary).</summary>
    private static JsonElement Variant(JsonElement schema)
    {
        schema = OpenApiOperations.Resolve(schema);
        foreach (var union in new[] { "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(union, out var variants))
            {
                return Variant(variants.EnumerateArray().FirstOrDefault(v => SchemaSamples.TypeOf(OpenApiOperations.Resolve(v)) != "null"));
            }
        }

        return schema;
    }

    private static string Render(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        // Strings carrying RawMark become the raw token itself (a number no JsonNode can hold, deep nesting).
        const string escapedMark = "\"\\u0001raw:";
        while (text.IndexOf(escapedMark, StringComparison.Ordinal) is var at and >= 0)
        {
            var end = text.IndexOf('"', at + escapedMark.Length);
            var raw = JsonSerializer.Deserialize<string>(text[at..(end + 1)])![RawMark.Length..];
            text = text[..at] + raw + text[(end + 1)..];
        }

        return text;
    }

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    /// <summary>The first member again, with another value, ahead of the rest.</summary>
    private static string Duplicated(JsonObject body)
    {
        var text = Render(body);
        var first = body.FirstOrDefault();
        return first.Key is null ? """{"a":1,"a":2}""" : "{" + JsonSerializer.Serialize(first.Key) + ":12345," + text[1..];
    }

    private static byte[] Truncated(string text, int cut)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return bytes[..Math.Max(0, bytes.Length - 1 - Math.Min(cut, bytes.Length - 1))];
    }

    /// <summary>A plausible body with invalid UTF-8 inside one of its strings (or in place of a key).</summary>
    private static Gen<byte[]> InvalidUtf8(Func<JsonObject> valid) =>
        Gen.OneOf<byte[]>([0xC3, 0x28], [0xFF], [0xFE, 0xFF], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0x80], [0x00])
            .Select(bad =>
            {
                var text = Render(valid());
                var quote = text.IndexOf('"', StringComparison.Ordinal);
                var bytes = Encoding.UTF8.GetBytes(text).ToList();
                var at = quote < 0 ? bytes.Count : Encoding.UTF8.GetByteCount(text[..(quote + 1)]);
                bytes.InsertRange(at, bad);
                return bytes.ToArray();
            });
}
