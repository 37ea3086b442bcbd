using System.Diagnostics;
using System.Text.Json;
using EventBooking.Tests.Promo;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace EventBooking.Tests.Fairness;

/// <summary>The promotion as shipped, against a person in a browser and against a scripted bot.</summary>
[Collection(FairPromotionCollection.Name)]
[Trait("Category", "FairPromotion")]
[TestCaseOrderer(FreshPromotionFirst.TypeName, "EventBooking.Tests")]
public sealed partial class FairPromotionTests(FairPromotionFixture graph, BrowserFixture browser, ITestOutputHelper output) : BrowserTests(browser)
{
    private const int TotalCodes = 10;

    [Fact]
    [NeedsFreshPromotion]
    public async Task A_person_signs_up_through_the_page_confirms_from_the_mail_and_only_the_page_opened_from_the_mail_shows_the_code()
    {
        var email = $"page-{Guid.NewGuid():N}@gmail.com";
        var signUpPage = await Browser.NewPageAsync(graph.Frontend.BaseAddress!);
        var signUpChallenges = ChallengesAskedBy(signUpPage);
        var signUpAudit = new PageAudit(signUpPage);
        var loading = Stopwatch.StartNew();
        await signUpPage.GotoAsync("/promo");
        // The page solves the proof of work by itself while the person types.
        await signUpPage.WaitForFunctionAsync("() => document.querySelector('altcha-widget')?.getState?.() === 'verified'");
        output.WriteLine($"proof of work solved {loading.Elapsed.TotalSeconds:0.00} s after the page was asked for");
        await signUpPage.GetByLabel("Your name").FillAsync("Grace");
        await signUpPage.GetByLabel("Email").FillAsync(email);
        await signUpAudit.CheckAsync("promo-ready-to-sign-up");
        await signUpPage.GetByRole(AriaRole.Button, new() { Name = "Get in the queue" }).ClickAsync();

        await Expect(signUpPage.Locator("#progress [data-step='confirm']")).ToHaveAttributeAsync("data-state", "active");
        var inbox = await graph.Mailbox.WaitForAsync(all => SignUpBot.ConfirmToken(all, email) is not null, TimeSpan.FromSeconds(30), "the confirmation mail");
        var token = SignUpBot.ConfirmToken(inbox, email);

        var mailboxPage = await Browser.NewPageAsync(graph.Frontend.BaseAddress!);
        var mailboxChallenges = ChallengesAskedBy(mailboxPage);
        var mailboxAudit = new PageAudit(mailboxPage);
        await mailboxPage.GotoAsync($"/promo#confirm={token}");

        await Expect(mailboxPage.Locator("#code")).ToHaveTextAsync(CodePattern());
        await Expect(signUpPage.Locator("#progress [data-step='result'] .label")).ToHaveTextAsync("Code issued");
        var code = await mailboxPage.Locator("#code").TextContentAsync();
        await Expect(signUpPage.Locator("#code-box")).ToBeHiddenAsync();
        Assert.Contains("in your inbox", await signUpPage.Locator("#status-message").TextContentAsync());
        Assert.DoesNotContain(code!, await signUpPage.ContentAsync());
        Assert.Equal("", new Uri(mailboxPage.Url).Fragment); // the token leaves the address bar
        await mailboxAudit.CheckAsync("promo-code-from-the-mailbox");
        await signUpAudit.CheckAsync("promo-code-in-the-inbox");
        signUpAudit.AssertClean();
        mailboxAudit.AssertClean();
        // One challenge paid for the one sign-up, and none after it; the page opened from the mail has no form to pay for.
        Assert.Single(signUpChallenges);
        Assert.Empty(mailboxChallenges);
    }

    private static List<string> ChallengesAskedBy(IPage page)
    {
        var asked = new List<string>();
        page.Request += (_, request) =>
        {
            if (new Uri(request.Url).AbsolutePath == "/api/promo/challenge")
            {
                lock (asked)
                {
                    asked.Add(request.Url);
                }
            }
        };
        return asked;
    }

    [Fact]
    public async Task A_bot_with_aliases_throwaway_mailboxes_and_a_domain_of_its_own_holds_at_most_eight_places_and_codes_go_to_the_earliest_confirmed()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var site = graph.Frontend;
        var codesLeft = TotalCodes - PromoInvariants.Registrations(graph).Count(r => r.Status == "CodeIssued");

        // Five people who never confirm sign up first: their places hold the line until they lapse.
        var sleepers = new List<SignUpBot.Answer>();
        foreach (var i in Enumerable.Range(0, 5))
        {
            sleepers.Add(await SignUpBot.SignUpAsync(site, $"sleeper{i}x{run}@outlook.com"));
        }

        // Then everyone at once, in no particular order: the bot's 150 aliases of 5 Gmail boxes, 30 throwaway
        // addresses and 20 at a domain of its own, and 25 people with their own addresses.
        var bot = Enumerable.Range(0, 150).Select(i => Alias($"bot{i % 5}x{run}", i / 5))
            .Concat(Enumerable.Range(0, 30).Select(i => $"grab{i}x{run}@{Throwaway[i % Throwaway.Length]}"))
            .Concat(Enumerable.Range(0, 20).Select(i => $"member{i}@botfarm-{run}.example"))
            .ToList();
        var people = Enumerable.Range(0, 25).Select(i => $"person{i}x{run}@{(i % 2 == 0 ? "gmail.com" : $"company{i}-{run}.example")}").ToList();
        var everyone = bot.Concat(people).OrderBy(_ => Random.Shared.Next()).ToList();
        var answers = (await Task.WhenAll(everyone.Select(email => SignUpBot.SignUpAsync(site, email)))).ToDictionary(a => a.Email);

        var botPlaces = bot.Select(e => answers[e]).Where(a => a.Status == HttpStatusCode.Accepted).ToList();
        Assert.All(sleepers, s => Assert.Equal(HttpStatusCode.Accepted, s.Status));
        Assert.All(people, p => Assert.Equal(HttpStatusCode.Accepted, answers[p].Status));
        Assert.True(botPlaces.Count <= 5 + 3, $"the bot holds {botPlaces.Count} places");
        Assert.All(bot.Where(e => Throwaway.Any(d => e.EndsWith(d, StringComparison.Ordinal))), e => Assert.Equal(HttpStatusCode.BadRequest, answers[e].Status));

        // The bot confirms every mail it can read; so do the 25 people.
        var confirming = botPlaces.Concat(people.Select(p => answers[p])).ToList();
        var inbox = await graph.Mailbox.WaitForAsync(all => confirming.All(a => SignUpBot.ConfirmToken(all, a.Email) is not null),
            TimeSpan.FromSeconds(60), "a confirmation mail for every place");
        var confirmed = await Task.WhenAll(confirming.Select(a => SignUpBot.ConfirmAsync(site, SignUpBot.ConfirmToken(inbox, a.Email)!)));
        Assert.All(confirmed, status => Assert.Equal(HttpStatusCode.OK, status));

        var rows = await Eventually.ReturnsAsync(() => Task.FromResult(Stored()), r => r.All(x => x.Final),
            FairPromotionFixture.ConfirmWithin + TimeSpan.FromSeconds(60), "every place is decided");
        var ours = rows.Where(r => r.Sequence >= sleepers[0].Sequence).ToList(); // nobody else signs up meanwhile
        var earliestConfirmed = ours.Where(r => r.Confirmed).OrderBy(r => r.Sequence).Take(codesLeft).Select(r => r.Sequence).ToList();
        Assert.Equal(earliestConfirmed, ours.Where(r => r.Status == "CodeIssued").Select(r => r.Sequence).ToList());
        Assert.All(ours.Where(r => !r.Confirmed), r => Assert.Null(r.Code));
        Assert.All(sleepers, s => Assert.Equal("Expired", ours.Single(r => r.Sequence == s.Sequence).Status));

        // Whoever holds just a registration id hears the outcome, never the code.
        foreach (var place in ours)
        {
            var answer = await site.GetFromJsonAsync<JsonElement>($"/api/promo/registrations/{place.Id}");
            Assert.Equal(JsonValueKind.Null, answer.GetProperty("code").ValueKind);
        }

        output.WriteLine($"bot: {bot.Count} sign-ups, {botPlaces.Count} places, {ours.Count(r => r.Code is not null && bot.Contains(r.Email))} codes; " +
            $"people: {people.Count + sleepers.Count} sign-ups, {ours.Count(r => r.Code is not null && !bot.Contains(r.Email))} codes; " +
            $"{ours.Count(r => r.Status == "Expired")} lapsed");
    }

    private static readonly string[] Throwaway = ["mailinator.com", "yopmail.com", "guerrillamail.com", "10minutemail.com"];

    /// <summary>The <paramref name="variant"/>th spelling of one Gmail box: a dot, a tag, googlemail.com, capitals.</summary>
    private static string Alias(string box, int variant)
    {
        if (variant == 0)
        {
            return $"{box}@gmail.com";
        }

        var dotted = box.Insert(1 + (variant % (box.Length - 1)), ".");
        var local = $"{(variant % 3 == 0 ? dotted.ToUpperInvariant() : dotted)}+v{variant}";
        return $"{local}@{(variant % 2 == 0 ? "googlemail.com" : "gmail.com")}";
    }

    private sealed record Place(long Sequence, string Id, string Email, string Status, string? Code, bool Confirmed)
    {
        public bool Final => Status is "CodeIssued" or "SoldOut" or "Expired" or "Failed";
    }

    private List<Place> Stored()
    {
        using var db = graph.OpenApiDatabase();
        return db.Rows("""SELECT "Sequence", "Id", "Email", "Status", "Code", "ConfirmedAt" FROM "PromoRegistrations" ORDER BY "Sequence" """,
            row => new Place(row.GetInt64(0), row.GetString(1), row.GetString(2), row.GetString(3), row.IsDBNull(4) ? null : row.GetString(4), !row.IsDBNull(5)));
    }

    [System.Text.RegularExpressions.GeneratedRegex("^EVT-")]
    private static partial System.Text.RegularExpressions.Regex CodePattern();
}
