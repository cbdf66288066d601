using ActivityFeed.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ActivityFeed.Tests;

/// <summary>
/// Swagger UI in a real browser (Debian's Chromium, driven by Playwright) against the server on a
/// loopback port: the page loads the document and lists its operations, and "Try it out" with a
/// bearer key on a list answers 200, sent to the server the UI came from (the document's own
/// server is the README's address). scripts/test.sh installs Chromium when it is missing.
/// </summary>
public sealed class SwaggerUiBrowserTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task SwaggerUiListsTheOperationsAndTryItOutWithABearerKeyListsTheFeed()
    {
        await using var server = await ServerProcess.StartAsync(api.ConnectionString);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LocalMachine.LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync();
        // Swagger UI renders the whole document (hundreds of schemas) in the page; on a loaded
        // machine that takes far longer than Playwright's 30 s default per step.
        page.SetDefaultTimeout(180_000);
        var documentLoaded = page.WaitForResponseAsync(response => response.Url.EndsWith("/openapi/v1.json", StringComparison.Ordinal) && response.Status == 200);
        await page.GotoAsync($"{server.Url}/swagger");
        await documentLoaded;

        var list = page.Locator("#operations-Feeds-ListActivities");
        await list.WaitForAsync();
        Assert.True(await page.Locator(".opblock").CountAsync() > 30);
        Assert.Contains("ActivityFeed API", await page.Locator(".info .title").InnerTextAsync(), StringComparison.Ordinal);

        await page.Locator("button.authorize").First.ClickAsync();
        await page.Locator(".modal-ux input").First.FillAsync(api.AdminKey);
        await page.Locator(".modal-ux .auth-btn-wrapper button.authorize").ClickAsync();
        await page.Locator(".modal-ux button.btn-done").ClickAsync();

        await list.Locator(".opblock-summary").First.ClickAsync();
        await list.Locator("button.try-out__btn").ClickAsync();
        await list.Locator("tr[data-param-name='org_id'] input").FillAsync(api.OrgId);
        var answered = page.WaitForResponseAsync(response => response.Url.StartsWith($"{server.Url}/orgs/{api.OrgId}/activities", StringComparison.Ordinal));
        await list.Locator("button.execute").ClickAsync();
        var response = await answered;
        Assert.Equal(200, response.Status);
        Assert.Equal($"Bearer {api.AdminKey}", await response.Request.HeaderValueAsync("authorization"));

        var status = list.Locator(".live-responses-table tbody .response-col_status").First;
        await status.WaitForAsync();
        Assert.Equal("200", (await status.InnerTextAsync()).Trim());
    }
}
