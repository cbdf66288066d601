using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ActivityFeed.Api.Auth;

/// <summary>
/// Bearer tokens look like <c>afk.&lt;org&gt;.&lt;secret&gt;</c> (API keys) or <c>afu.&lt;org&gt;.&lt;secret&gt;</c>
/// (user tokens): the org part (base64url) lets a lookup use the org-leading unique index, the
/// secret is 32 random bytes and only its hash is stored.
/// </summary>
public static class Tokens
{
    public const string ApiKeyPrefix = "afk";
    public const string UserTokenPrefix = "afu";
    private const int SecretBytes = 32;

    public static string NewApiKey(string orgId) => New(ApiKeyPrefix, orgId);

    public static string NewUserToken(string orgId) => New(UserTokenPrefix, orgId);

    private static string New(string prefix, string orgId) =>
        $"{prefix}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(orgId))}.{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes))}";

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public static bool TryReadOrg(string token, string expectedPrefix, out string orgId)
    {
        orgId = "";
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0] != expectedPrefix || parts[2].Length == 0)
        {
            return false;
        }

        try
        {
            orgId = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
            return orgId.Length is > 0 and <= 128;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
