using EventBooking.LoadTest;

namespace EventBooking.Tests.Fairness;

public sealed partial class FairPromotionTests
{
    /// <summary>
    /// The load test's people against the promotion as shipped: each loads the page, solves the proof of work, signs
    /// up, opens the link from the dev inbox and follows both pages to the end. Runs before the bot (by name), while
    /// codes are left: once sold out, a sign-up's page ends the story before any link is clicked.
    /// </summary>
    [Fact]
    public async Task A_benchmark_person_loads_the_page_solves_the_proof_of_work_signs_up_and_confirms_from_the_dev_inbox()
    {
        Progress.Enabled = false;
        await using var inbox = new DevInbox(graph.App.GetEndpoint("mail", "http"));
        var before = Stored().Count;
        var codesLeft = TotalCodes - Stored().Count(r => r.Status == "CodeIssued");

        var result = await PromoBurstScenario.RunAsync(graph.Frontend, count: 6, concurrency: 3, inbox);

        Assert.True(result.Succeeded, string.Join("; ", result.Checks.Where(c => !c.Ok).Select(c => c.Name)) + $"; {result.Errors} errors");
        Assert.Contains(result.Figures, f => f.Name == "accepted" && f.Value == 6);
        Assert.Contains(result.Figures, f => f.Name == "people who confirmed from the mailed link" && f.Value == 6);
        Assert.Contains(result.Figures, f => f.Name == "proofs of work solved by the client" && f.Value == 6);
        // A page hears a decision as the API receives it; the API stores it beside that, a moment later.
        var theirs = await Eventually.ReturnsAsync(() => Task.FromResult(Stored()[before..]), places => places.All(p => p.Final),
            TimeSpan.FromSeconds(30), "the decisions the pages heard, stored");
        Assert.Equal(6, theirs.Count);
        Assert.All(theirs, place => Assert.True(place.Confirmed && place.Final, $"{place.Status}, confirmed: {place.Confirmed}"));
        Assert.True(codesLeft > 0, "the promotion was sold out before the test: nothing was proven of the confirmation");
        Assert.Equal(Math.Min(codesLeft, 6), theirs.Count(r => r.Status == "CodeIssued"));
    }
}
