using System.Net;
using ActivityFeed.Api.Activities;
using ActivityFeed.Tests.Infrastructure;

namespace ActivityFeed.Tests;

public sealed class DescriptionSanitizerTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    public static TheoryData<string> Payloads => new()
    {
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">click</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">click</a>",
        "<a href=\"  javascript:alert(1)\">click</a>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<svg onload=alert(1)><circle r=1 /></svg>",
        "<svg><script>alert(1)</script></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<body onload=alert(1)>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<strong onclick=\"alert(1)\">bold</strong>",
        "<p><a href=\"https://ok.example\" onmouseover=\"alert(1)\">ok</a></p>",
        "<object data=\"javascript:alert(1)\"></object>",
        "<embed src=\"javascript:alert(1)\">",
        "<form action=\"javascript:alert(1)\"><button>go</button></form>",
        "<input autofocus onfocus=alert(1)>",
        "<details open ontoggle=alert(1)>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<base href=\"javascript:alert(1)//\">",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<<script>script>alert(1)//<</script>/script>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<style>@import 'javascript:alert(1)';</style>",
        "<template><script>alert(1)</script></template>",
        "<video><source onerror=\"alert(1)\"></video>",
    };

    private static readonly string[] Executable =
        ["<script", "javascript:", "vbscript:", "data:", "onerror", "onload", "onclick", "onmouseover", "onfocus", "ontoggle", "<svg", "<iframe", "<img", "<object", "<embed", "<style", "style=", "<meta", "<base", "<form", "<input"];

    [Theory]
    [MemberData(nameof(Payloads))]
    public void NothingExecutableSurvives(string payload)
    {
        var clean = new DescriptionSanitizer().Sanitize(payload);
        foreach (var marker in Executable)
        {
            Assert.DoesNotContain(marker, clean, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("<strong>Jane</strong> placed an order", "<strong>Jane</strong> placed an order")]
    [InlineData("<p>a<br>b</p><ul><li><em>x</em></li></ul><ol><li><i>y</i></li></ol><code>z</code><b>w</b>", "<p>a<br>b</p><ul><li><em>x</em></li></ul><ol><li><i>y</i></li></ol><code>z</code><b>w</b>")]
    [InlineData("<a href=\"https://example.com/x\">link</a>", "<a href=\"https://example.com/x\">link</a>")]
    [InlineData("<a href=\"mailto:jane@example.com\">mail</a>", "<a href=\"mailto:jane@example.com\">mail</a>")]
    [InlineData("<div>kept <span>text</span></div>", "kept text")]
    [InlineData("<a href=\"https://example.com\" target=\"_blank\" class=\"x\">t</a>", "<a href=\"https://example.com\">t</a>")]
    public void TheAllowedSubsetSurvivesAndOtherTagsKeepTheirText(string input, string expected) =>
        Assert.Equal(expected, new DescriptionSanitizer().Sanitize(input));

    [Fact]
    public async Task FormattedDescriptionIsStoredSanitised()
    {
        var created = await api.AdminClient().CreateActivityAsync(api.OrgId, new
        {
            type = "note_created",
            formatted_description = "<strong>Jane</strong><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">x</a>",
        });
        Assert.Equal("<strong>Jane</strong><a>x</a>", created.GetProperty("formatted_description").GetString());
        var fetched = await (await api.AdminClient().GetAsync($"/orgs/{api.OrgId}/activities/{created.GetProperty("id").GetString()}", ActivityClient.Cancel))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("<strong>Jane</strong><a>x</a>", fetched.GetProperty("formatted_description").GetString());
    }
}
