using System.Buffers.Text;
using System.Text;

namespace ActivityFeed.Api.Infrastructure.Paging;

/// <summary>The cursor of lists ordered by id alone: opaque to clients, checked on the way back in.</summary>
public static class IdCursor
{
    public static string Write(string kind, string lastId) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{kind}|{lastId}"));

    public static bool TryRead(string cursor, string kind, out string lastId)
    {
        lastId = "";
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            if (bar < 0 || text[..bar] != kind || bar == text.Length - 1)
            {
                return false;
            }

            lastId = text[(bar + 1)..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
