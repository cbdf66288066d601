using System.Globalization;
using System.Security.Claims;
using ActivityFeed.Api.Auth;

namespace ActivityFeed.Api.Dialects;

/// <summary>What the dialects share about their callers and the ids they return.</summary>
public static class SourceIds
{
    /// <summary>
    /// The sources number their records (Salesloft's person and account ids, every id of the CRM
    /// seed): a client id that is a plain decimal integer comes back as a JSON number, any other
    /// id as the string it is, so clients written against either keep their types.
    /// </summary>
    public static object? AsSourceId(string? id) =>
        id is { Length: > 0 and <= 18 } && (id == "0" || id[0] != '0') && id.All(char.IsAsciiDigit)
            ? long.Parse(id, CultureInfo.InvariantCulture)
            : id;

    /// <summary>The dialect paths carry no org: it is the token's (an API key or user token names its org).</summary>
    public static string OrgOf(ClaimsPrincipal caller) =>
        caller.GetOrgId() ?? throw new InvalidOperationException("An authenticated caller always has an org.");
}
