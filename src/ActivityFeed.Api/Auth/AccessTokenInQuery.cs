namespace ActivityFeed.Api.Auth;

/// <summary>Endpoint metadata: the bearer token may come as <c>?access_token=</c> (streams only: EventSource cannot send headers). Request logs never record query strings.</summary>
public sealed record AccessTokenInQuery
{
    public const string Parameter = "access_token";
}
