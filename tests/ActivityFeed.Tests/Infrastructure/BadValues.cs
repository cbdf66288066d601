using System.Buffers.Text;
using System.Text;
using CsCheck;

namespace ActivityFeed.Tests.Infrastructure;

/// <summary>
/// CsCheck generators of hostile scalar values: random Unicode, control characters and NUL, SQL,
/// JSON, HTML and path meta-characters, lone surrogates, huge strings, boundary numbers, malformed
/// timestamps and cursors. None is an http(s) URL with a host name, so a webhook registration
/// never resolves or dials a generated host.
/// </summary>
public static class BadValues
{
    public static readonly string[] MetaCharacters =
    [
        "' OR '1'='1", "'; DROP TABLE activities; --", "\" OR \"\"=\"", "%", "_", "\\", "\\'", "' || pg_sleep(0) || '",
        "$1", "E'\\x00'", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&lt;&amp;&#0;", "]]>", "{\"a\":", "}{",
        "[", "null", "true", "{}", "[]", "\"", "\\u0000", "\\ud800", "${jndi:ldap://x}", "{{7*7}}", "../../etc/passwd", "..",
        ".", "/", "%2e%2e%2f", "a/b", "a?b=c", "a#b", "a b", "\u202e\u0644", "𝕏𝕐", "🙂", "\uFEFF", "\u0085", "\u2028",
        "me", "*", ",", ",,", "a,b", "act_", "act_00000000000000000000000000", "org_ta", "tb_user1", "ta_user1",
    ];

    public static readonly string[] Numbers =
    [
        "0", "-0", "-1", "1", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809", "18446744073709551616", "1e309", "-1e309", "1e-400", "4.9e-324",
        "NaN", "Infinity", "-Infinity", "0x10", "1.5", "1.0", "5e0", "01", "+1", "1_000", "１", "99999999999999999999999999999",
    ];

    public static readonly string[] Timestamps =
    [
        "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-01-01T24:00:01Z", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999Z", "10000-01-01T00:00:00Z", "-2026-01-01T00:00:00Z", "2026-01-01", "2026-01-01T00:00:00",
        "2026-01-01T00:00:00+25:00", "2026-01-01T00:00:00+14:00", "2026-01-01T00:00:00-12:59", "2026-01-01T00:00:00.1234567890123Z",
        "2026-01-01T00:00:60Z", "2026-01-01T00:00:00ZZ", "2026-01-01 00:00:00Z", "20260101T000000Z", "yesterday", "now",
        "1e10", "1767225600", "-62135596800", "253402300800", "2026-W01-1", "2026-001", "T", "Z", "1970-01-01T00:00:00Z",
    ];

    /// <summary>Random Unicode (CsCheck's own string generator, surrogates and all).</summary>
    public static readonly Gen<string> Unicode = Gen.String;

    public static readonly Gen<string> ControlCharacters = Gen.Char['\0', '\u001f'].Array[1, 12].Select(c => new string(c));

    /// <summary>Up to 64 KiB: long enough to hurt a naive parser; 1 MiB bodies are <see cref="Huge"/>'s.</summary>
    public static readonly Gen<string> LongText = Gen.Int[129, 64 * 1024].Select(Gen.Char["aZ0-_.:%"], (n, c) => new string(c, n));

    /// <summary>About 1 MiB, either side of the body limit.</summary>
    public static readonly Gen<string> Huge = Gen.Int[1024 * 1024 - 4096, 1024 * 1024 + 4096].Select(n => new string('x', n));

    public static readonly Gen<string> Meta = Gen.OneOf(MetaCharacters);

    public static readonly Gen<string> Number = Gen.OneOf(Gen.OneOf(Numbers), Gen.Long.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Double.Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

    public static readonly Gen<string> Timestamp = Gen.OneOf(Gen.OneOf(Timestamps),
        Gen.DateTime.Select(d => d.ToString("yyyy-MM-ddTHH:mm:ss.fffffffK", System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Long.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Cursors the server never issued: base64url garbage, JSON payloads without a valid tag, truncated and tampered forms of a real one.</summary>
    public static Gen<string> Cursor(string? issued) => Gen.OneOf(
        Gen.Byte.Array[0, 200].Select(b => Base64Url.EncodeToString(b)),
        Gen.Byte.Array[0, 64].Select(Gen.Byte.Array[0, 32], (p, t) => $"{Base64Url.EncodeToString(p)}.{Base64Url.EncodeToString(t)}"),
        Gen.OneOf("""{"F":"org","P":{},"V":0,"I":""}""", """{"F":null}""", """{"V":1e309}""", "[]", "null", """{"F":"x","P":{"a":"b"},"V":-9223372036854775808,"I":"act_"}""")
            .Select(json => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json)) + ".AAAAAAAAAAAAAAAAAAAAAA"),
        Gen.OneOf(".", "..", "a.", ".a", "====", "%%%", "\0", "a.b.c", "type|", "|", "id|\u0000"),
        issued is null ? Unicode : Gen.Int[0, issued.Length].Select(n => issued[..n]),
        issued is null ? Unicode : Gen.Int[0, issued.Length - 1].Select(Gen.Char["A-Za-z0-9_-."], (at, c) => issued[..at] + c + issued[(at + 1)..]));

    /// <summary>Any hostile string.</summary>
    public static readonly Gen<string> Any = Gen.Frequency(
        (6, Unicode), (3, ControlCharacters), (6, Meta), (1, LongText), (3, Number), (2, Timestamp), (1, Gen.Const("")));

    private static readonly string[] PercentGarbage = ["%ZZ", "%", "%0", "%C3%28", "%FF%FE", "%ED%A0%80", "%C0%AF", "%E2%82", "%2F", "%5C", "..", ".", "%2e%2e", "%F4%90%80%80", "%25", "%u0041"];

    /// <summary>
    /// A path segment: hostile text percent-encoded, or raw percent garbage (bad escapes, invalid
    /// UTF-8). Never NUL: Kestrel answers a path with NUL 400 before the app sees it, and the
    /// in-process test server throws on one instead, so a NUL there would test the test host.
    /// </summary>
    public static readonly Gen<string> PathSegment = Gen.Frequency(
        (5, Any.Select(s => Uri.EscapeDataString((s.Length > 4096 ? s[..4096] : s).Replace("\0", "", StringComparison.Ordinal)))),
        (2, Gen.OneOf(PercentGarbage)));

    /// <summary>A query value: hostile text percent-encoded (NUL included: the query is the app's to decode), or percent garbage.</summary>
    public static readonly Gen<string> QueryValue = Gen.Frequency(
        (5, Any.Select(s => Uri.EscapeDataString(s))),
        (2, Gen.OneOf([.. PercentGarbage, "%00", "a%00b"])));
}
