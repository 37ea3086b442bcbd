namespace EventBooking.Tests.Promo;

public sealed record StoredRegistration(long Sequence, string Id, string Email, string Status, string? Code);

/// <summary>The promo flow's promises, checked against what the API and the notifier actually stored.</summary>
public static class PromoInvariants
{
    public static List<StoredRegistration> Registrations(GraphFixture graph)
    {
        using var db = graph.OpenApiDatabase();
        return db.Rows("""SELECT "Sequence", "Id", "EmailNormalized", "Status", "Code" FROM "PromoRegistrations" ORDER BY "Sequence" """,
            row => new StoredRegistration(row.GetInt64(0), row.GetString(1), row.GetString(2), row.GetString(3), row.IsDBNull(4) ? null : row.GetString(4)));
    }

    public static Dictionary<string, string?> NotifierDecisions(GraphFixture graph)
    {
        using var db = graph.OpenNotifierDatabase();
        return db.Rows("""SELECT "RegistrationId", "Code" FROM "PromoDecisions" """, row => (Id: row.GetString(0), Code: row.IsDBNull(1) ? null : row.GetString(1)))
            .ToDictionary(d => d.Id, d => d.Code);
    }

    public static Task<List<StoredRegistration>> AllFinalAsync(GraphFixture graph, TimeSpan timeout) =>
        Eventually.ReturnsAsync(
            () => Task.FromResult(Registrations(graph)),
            rows => rows.All(r => PromoClient.FinalStatuses.Contains(r.Status)),
            timeout,
            "every accepted sign-up reaches a final status");

    /// <summary>
    /// Every sign-up decided; codes to the earliest arrivals, one per email. A sign-up set aside as Failed (one no
    /// mail can be written for, placed by a test that proves the queue goes on) takes no code and no place.
    /// </summary>
    public static void AssertHold(GraphFixture graph, int totalCodes)
    {
        var all = Registrations(graph);
        Assert.All(all, r => Assert.Contains(r.Status, new[] { "CodeIssued", "SoldOut", "Failed" }));
        Assert.All(all.Where(r => r.Status == "Failed"), r => Assert.Null(r.Code));
        var rows = all.Where(r => r.Status != "Failed").ToList();

        var winners = rows.Where(r => r.Status == "CodeIssued").ToList();
        var distinctEmails = rows.Select(r => r.Email).Distinct().Count();
        Assert.Equal(distinctEmails, rows.Count); // one registration per email
        Assert.Equal(Math.Min(totalCodes, distinctEmails), winners.Count);
        Assert.Equal(rows.Take(winners.Count).Select(r => r.Sequence), winners.Select(r => r.Sequence)); // earliest arrivals win
        Assert.All(winners, w => Assert.Matches("^EVT-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$", w.Code));
        Assert.Equal(winners.Count, winners.Select(w => w.Code).Distinct().Count());
        Assert.All(rows.Where(r => r.Status == "SoldOut"), r => Assert.Null(r.Code));

        // The notifier's own record agrees: one decision per registration, the same codes, nothing extra.
        var decisions = NotifierDecisions(graph);
        Assert.Equal(all.Select(r => r.Id).Order(), decisions.Keys.Order());
        Assert.Equal(winners.Select(w => (w.Id, w.Code)).OrderBy(p => p.Id),
            decisions.Where(d => d.Value is not null).Select(d => (d.Key, d.Value)).OrderBy(p => p.Key));
    }
}
