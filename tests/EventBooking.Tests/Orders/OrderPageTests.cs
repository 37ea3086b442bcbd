using System.Text.RegularExpressions;
using EventBooking.Tests.Fairness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EventBooking.Tests.Orders;

[Collection(FairPromotionCollection.Name)]
[Trait("Category", "Pages")]
public sealed class OrderPageTests(FairPromotionFixture graph, BrowserFixture browser) : BrowserTests(browser)
{
    [Fact]
    public async Task Filling_in_the_order_form_shows_the_reference_and_what_was_received()
    {
        var page = await Browser.NewPageAsync(graph.Frontend.BaseAddress!);
        var email = OrderRequests.UniqueEmail("browser");
        const string trickyName = "Ada <img src=x onerror=alert(1)> Lovelace";

        await page.GotoAsync("/order");
        await page.GetByLabel("Your name").FillAsync(trickyName);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(email);
        await page.GetByLabel("Kind of event").SelectOptionAsync("wedding");
        await page.GetByLabel("Date of the event").FillAsync(OrderRequests.Today.AddMonths(6).ToString("yyyy-MM-dd"));
        await page.GetByLabel("Number of guests").FillAsync("85");
        await page.GetByLabel("City or venue").FillAsync("Lake Como");
        await page.GetByLabel("Anything else we should know?").FillAsync("Sunset ceremony by the water.");
        await page.GetByLabel("I agree that EventBooking may contact me").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my request" }).ClickAsync();

        var confirmation = page.Locator("#confirmation");
        await Expect(confirmation).ToBeVisibleAsync();
        await Expect(page.Locator("#confirmation-reference")).ToHaveTextAsync(new Regex("^EB-[A-Z0-9]{4}-[A-Z0-9]{4}$"));
        await Expect(page.Locator("#confirmation-name")).ToHaveTextAsync(trickyName);
        await Expect(confirmation.Locator("img")).ToHaveCountAsync(0);
        await Expect(confirmation).ToContainTextAsync("within one business day");
        await Expect(confirmation).ToContainTextAsync("Lake Como");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "order-confirmation.png"), FullPage = true });

        var reference = await page.Locator("#confirmation-reference").TextContentAsync();
        using var stored = await graph.Frontend.PostAsJsonAsync("/api/orders/lookup", new { reference, email });
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
    }

    [Fact]
    public async Task Submitting_an_empty_form_shows_an_error_next_to_each_required_field()
    {
        var page = await Browser.NewPageAsync(graph.Frontend.BaseAddress!);

        await page.GotoAsync("/order");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my request" }).ClickAsync();

        foreach (var field in new[] { "customerName", "email", "eventType", "eventDate", "guestCount", "consentToContact" })
        {
            await Expect(page.Locator($"#{field}")).ToHaveAttributeAsync("aria-invalid", "true");
            await Expect(page.Locator($"[data-error-for='{field}']")).Not.ToBeEmptyAsync();
        }

        await Expect(page.Locator("#customerName")).ToBeFocusedAsync();
        await Expect(page.Locator("#confirmation")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Errors_only_the_server_finds_are_shown_next_to_their_field()
    {
        var page = await Browser.NewPageAsync(graph.Frontend.BaseAddress!, width: 360, height: 800);

        await page.GotoAsync("/order");
        await page.GetByLabel("Your name").FillAsync("Grace Hopper");
        // The browser accepts this address; the server wants a dotted domain.
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync("grace@localhost");
        await page.GetByLabel("Kind of event").SelectOptionAsync("conference");
        await page.GetByLabel("Date of the event").FillAsync(OrderRequests.Today.AddMonths(1).ToString("yyyy-MM-dd"));
        await page.GetByLabel("Number of guests").FillAsync("300");
        await page.GetByLabel("I agree that EventBooking may contact me").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my request" }).ClickAsync();

        await Expect(page.Locator("[data-error-for='email']")).ToContainTextAsync("valid email");
        await Expect(page.Locator("#email")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send my request" })).ToBeEnabledAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "order-server-error-360px.png"), FullPage = true });
    }

    [Fact]
    public async Task A_request_can_be_found_again_on_the_lookup_page()
    {
        var order = OrderRequests.Valid();
        using var created = await graph.Frontend.PostAsync(order);
        var reference = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("reference").GetString();
        var page = await Browser.NewPageAsync(graph.Frontend.BaseAddress!);

        await page.GotoAsync($"/lookup?reference={reference}");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(order["email"]!.GetValue<string>());
        await page.GetByRole(AriaRole.Button, new() { Name = "Find my request" }).ClickAsync();

        await Expect(page.Locator("#lookup-result")).ToBeVisibleAsync();
        await Expect(page.Locator("#result-reference")).ToHaveTextAsync(reference!);
        await Expect(page.Locator("#result-summary")).ToContainTextAsync("Grace Hopper");

        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync("not-the-owner@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find my request" }).ClickAsync();
        await Expect(page.Locator("#lookup-alert")).ToContainTextAsync("could not find");
        await Expect(page.Locator("#lookup-result")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task After_an_answer_is_lost_an_edited_request_is_sent_as_a_new_one_not_refused()
    {
        var page = await Browser.NewPageAsync(graph.Frontend.BaseAddress!);
        // The first submission reaches the API and is stored, but its answer never comes back to the page.
        var lost = true;
        await page.RouteAsync("**/api/orders", async route =>
        {
            var response = await route.FetchAsync();
            if (lost)
            {
                lost = false;
                await route.FulfillAsync(new() { Status = 503, ContentType = "application/problem+json", Body = """{"title":"Service unavailable","status":503}""" });
                return;
            }

            await route.FulfillAsync(new() { Response = response });
        });

        await page.GotoAsync("/order");
        await page.GetByLabel("Your name").FillAsync("Edith Edit");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(OrderRequests.UniqueEmail("edit"));
        await page.GetByLabel("Kind of event").SelectOptionAsync("birthday");
        await page.GetByLabel("Date of the event").FillAsync(OrderRequests.Today.AddMonths(2).ToString("yyyy-MM-dd"));
        await page.GetByLabel("Number of guests").FillAsync("30");
        await page.GetByLabel("I agree that EventBooking may contact me").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my request" }).ClickAsync();
        await Expect(page.Locator("#form-alert")).ToContainTextAsync("Everything you typed is still here");

        await page.GetByLabel("Number of guests").FillAsync("35");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my request" }).ClickAsync();

        await Expect(page.Locator("#confirmation")).ToBeVisibleAsync();
        await Expect(page.Locator("#confirmation")).ToContainTextAsync("35");
    }
}
