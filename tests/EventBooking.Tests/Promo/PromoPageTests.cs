using System.Text.Json;
using EventBooking.LoadTest;
using EventBooking.Tests.Orders;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EventBooking.Tests.Promo;

[Collection(GraphCollection.Name)]
public sealed class PromoPageTests(GraphFixture graph, BrowserFixture browser) : BrowserTests(browser)
{
    [Fact]
    public async Task Signing_up_shows_live_progress_to_a_final_result_that_survives_a_reload()
    {
        var page = await Browser.NewPageAsync(graph.Frontend.BaseAddress!);

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

    [Fact]
    public async Task A_waiting_page_asks_the_server_nothing_while_its_socket_is_open()
    {
        var page = await Browser.NewPageAsync(graph.Frontend.BaseAddress!);
        // The page's timers run on a clock the test moves: ten seconds of waiting take no time.
        await page.Clock.InstallAsync();
        // The notifier frozen (SIGSTOP), so the request waits: a kill and a start cost seconds of both cores.
        var (_, notifier) = graph.ServiceProcess("notifier");
        ServiceProcesses.Pause(notifier);
        try
        {
            await page.GotoAsync("/promo");
            await page.GetByLabel("Your name").FillAsync("Patient Tester");
            await page.GetByLabel("Email").FillAsync($"promo-waiting-{Guid.NewGuid():N}@example.com");
            await page.GetByRole(AriaRole.Button, new() { Name = "Get in the queue" }).ClickAsync();
            await Expect(page.Locator("#connection")).ToHaveTextAsync("live");

            var asked = new List<string>();
            page.Request += (_, request) => asked.Add(request.Url);
            await page.Clock.RunForAsync(10_000);

            Assert.Empty(asked);
        }
        finally
        {
            ServiceProcesses.Resume(notifier);
        }

        await Expect(page.Locator("#connection")).ToHaveTextAsync("final");
    }

    [Theory]
    [InlineData("SoldOut", 0, 0)]
    [InlineData("CodeIssued", null, 1)]
    public async Task A_page_told_no_code_is_left_counts_no_more_and_any_other_decision_is_counted_once_more(string status, int? codesLeft, int counts)
    {
        var page = await Browser.NewPageAsync(graph.Frontend.BaseAddress!);
        await page.Clock.InstallAsync();
        // The test plays the decision on the page's socket, so what the page does next does not depend on the codes left.
        await page.RouteWebSocketAsync("**/ws/promo/**", socket => socket.Send(JsonSerializer.Serialize(new
        {
            registrationId = "played",
            sequence = 1,
            status,
            version = 1_000,
            message = "Decided.",
            at = DateTime.UtcNow,
            codesLeft,
            isFinal = true,
        })));
        await page.GotoAsync("/promo");
        await page.GetByLabel("Your name").FillAsync("Counted Tester");
        await page.GetByLabel("Email").FillAsync($"promo-counted-{Guid.NewGuid():N}@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Get in the queue" }).ClickAsync();
        await Expect(page.Locator("#progress [data-step='result']")).ToHaveAttributeAsync("data-state", "done");

        var asked = new List<string>();
        page.Request += (_, request) => asked.Add(new Uri(request.Url).AbsolutePath);
        await page.Clock.RunForAsync(5_000);

        Assert.Equal(Enumerable.Repeat("/api/promo", counts), asked);
    }

    [Fact]
    public async Task A_confirmation_link_that_confirms_nothing_says_why_above_the_sign_up_form()
    {
        var page = await Browser.NewPageAsync(graph.Frontend.BaseAddress!);

        await page.GotoAsync("/promo#confirm=no-such-token");

        await Expect(page.Locator("#signup-alert")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("#signup-form")).ToBeVisibleAsync();
        await Expect(page.Locator("#status-card")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_client_following_a_promo_request_to_its_end_meets_clean_pages()
    {
        var page = await Browser.NewPageAsync(graph.Frontend.BaseAddress!, PageAudit.Widths[0], height: 900);
        var audit = new PageAudit(page);

        await page.GotoAsync("/promo");
        await Expect(page.Locator("#codes-left")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));
        await audit.CheckAsync("promo-form");
        await page.GetByLabel("Your name").FillAsync("Audrey Audit");
        await page.GetByLabel("Email").FillAsync(OrderRequests.UniqueEmail("audit-promo"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Get in the queue" }).ClickAsync();
        await Expect(page.Locator("#status-card")).ToBeVisibleAsync();
        await audit.CheckAsync("promo-live");
        await Expect(page.Locator("#connection")).ToHaveTextAsync("final");
        await audit.CheckAsync("promo-final");

        audit.AssertClean();
    }
}
