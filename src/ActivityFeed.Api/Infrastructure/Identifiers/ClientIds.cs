using System.Text.RegularExpressions;
using FluentValidation;

namespace ActivityFeed.Api.Infrastructure.Identifiers;

/// <summary>
/// The rule for every id a client chooses (org, activity, contact, record, directory entry, user):
/// one pattern, so an id accepted by one endpoint is accepted by every other that names it.
/// </summary>
public static partial class ClientIds
{
    public const string Pattern = "^[A-Za-z0-9_.:-]{1,128}$";

    /// <summary>The rule in words, after the field's name.</summary>
    public const string Rule = "must be 1-128 characters of A-Z a-z 0-9 _ . : -";

    [GeneratedRegex(Pattern)]
    private static partial Regex PatternRegex();

    public static bool IsValid(string? id) => id is not null && PatternRegex().IsMatch(id);

    public static IRuleBuilderOptions<T, string?> ClientId<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Matches(Pattern).WithMessage("{PropertyName} " + Rule);
}
