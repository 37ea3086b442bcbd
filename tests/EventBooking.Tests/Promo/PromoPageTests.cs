using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EventBooking.Tests.Promo;

[Collection(GraphCollection.Name)]
public sealed class PromoPageTests(GraphFixture graph, BrowserFixture browser)
{
    [Fact]
    public async Task Signing_up_shows_live_progress_to_a_final_result_that_survives_a_reload()
    {
        var page = await browser.NewPageAsync(graph.Frontend.BaseAddress!);

        await page.GotoAsync("/promo");
        await Expect(page.Locator("#codes-left")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));
        await page.GetByLabel("Your name").FillAsync("Browser Tester");
        await page.GetByLabel("Email").FillAsync($"promo-page-{Guid.NewGuid():N}@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Get in the queue" }).ClickAsync();

        var card = page.Locator("#status-card");
        await Expect(card).ToBeVisibleAsync();
        var result = page.Locator("#progress [data-step='result']");
        await Expect(result).ToHaveAttributeAsync("data-state", new System.Text.RegularExpressions.Regex("^(done|bad)$"));
        await Expect(page.Locator("#connection")).ToHaveTextAsync("final");
        var outcome = await result.Locator(".label").TextContentAsync();
        Assert.Contains(outcome, new[] { "Code issued", "All codes are gone" });
        if (outcome == "Code issued")
        {
            await Expect(page.Locator("#code")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^EVT-"));
        }

        var message = await page.Locator("#status-message").TextContentAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "promo-result.png"), FullPage = true });

        await page.ReloadAsync();

        await Expect(card).ToBeVisibleAsync();
        await Expect(page.Locator("#signup-form")).ToBeHiddenAsync();
        await Expect(result.Locator(".label")).ToHaveTextAsync(outcome!);
        await Expect(page.Locator("#status-message")).ToHaveTextAsync(message!);
    }
}
