using System.Text.RegularExpressions;
using EventBooking.Tests.Fairness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EventBooking.Tests.Platform;

/// <summary>
/// A person without a mouse: every step by Tab, typing, Enter and Space, from the order form to a manager moving
/// the request along. Reaching a control is pressing Tab until it has the focus (a control Tab never reaches fails).
/// </summary>
[Collection(FairPromotionCollection.Name)]
[Trait("Category", "Pages")]
public sealed partial class KeyboardJourneyTests(FairPromotionFixture graph, BrowserFixture browser) : BrowserTests(browser)
{
    private const int MostTabs = 60;

    [Fact]
    public async Task Order_confirmation_look_up_and_the_back_office_work_with_the_keyboard_alone()
    {
        var page = await Browser.NewPageAsync(graph.Frontend.BaseAddress!);
        var email = $"keyboard-{Guid.NewGuid():N}@example.com";

        await page.GotoAsync("/");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator(":focus")).ToHaveTextAsync("Skip to content");
        await TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Start my request" }));
        await page.Keyboard.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Regex("/order$"));
        await TypeIntoAsync(page, page.GetByLabel("Your name"), "Kim Keyboard");
        await TypeIntoAsync(page, page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }), email);
        await TabToAsync(page, page.GetByLabel("Kind of event"));
        await page.Keyboard.TypeAsync("Wedding");
        var date = DateTime.UtcNow.AddMonths(3);
        await TypeIntoAsync(page, page.GetByLabel("Date of the event"), date.ToString("MMddyyyy", System.Globalization.CultureInfo.InvariantCulture));
        await TypeIntoAsync(page, page.GetByLabel("Number of guests"), "80");
        await TabToAsync(page, page.GetByRole(AriaRole.Checkbox));
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Send my request" }));
        await page.Keyboard.PressAsync("Enter");

        var reference = page.Locator("#confirmation-reference");
        await Expect(reference).ToHaveTextAsync(Reference());
        var referenceText = Reference().Match((await reference.TextContentAsync())!).Value;

        await page.GotoAsync("/lookup");
        await TypeIntoAsync(page, page.GetByLabel("Reference number"), referenceText);
        await TypeIntoAsync(page, page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }), email);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByText("Kim Keyboard")).ToBeVisibleAsync();

        await page.GotoAsync("/admin");
        await TypeIntoAsync(page, page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }), GraphFixture.ManagerEmail);
        await TypeIntoAsync(page, page.GetByLabel("Password"), GraphFixture.ManagerPassword);
        await page.Keyboard.PressAsync("Enter");
        await TypeIntoAsync(page, page.Locator("#f-search"), referenceText);
        await page.Keyboard.PressAsync("Enter");
        var open = page.GetByRole(AriaRole.Button, new() { Name = referenceText });
        await Expect(open).ToBeVisibleAsync();
        await TabToAsync(page, open);
        await page.Keyboard.PressAsync("Space");

        await Expect(page.Locator("#detail")).ToBeFocusedAsync();
        await Expect(page.Locator("#detail-title")).ToContainTextAsync(referenceText);
        await TabToAsync(page, page.GetByLabel("Move to"));
        await page.Keyboard.TypeAsync("Contacted");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Save status" }));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#detail")).ToContainTextAsync("New → Contacted");
    }

    [GeneratedRegex("EB-[0-9A-Z]{4}-[0-9A-Z]{4}")]
    private static partial Regex Reference();

    private static async Task TypeIntoAsync(IPage page, ILocator field, string text)
    {
        await TabToAsync(page, field);
        await page.Keyboard.TypeAsync(text);
    }

    /// <summary>Presses Tab until <paramref name="target"/> has the focus.</summary>
    private static async Task TabToAsync(IPage page, ILocator target)
    {
        for (var presses = 0; presses < MostTabs; presses++)
        {
            if (await target.EvaluateAsync<bool>("element => element === document.activeElement"))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"{MostTabs} presses of Tab never reached {target}");
    }
}
