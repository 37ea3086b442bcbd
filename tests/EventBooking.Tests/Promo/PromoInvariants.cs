namespace EventBooking.Tests.Promo;

public sealed record StoredRegistration(long Sequence, string Id, string Email, string Status, string? Code);

/// <summary>The promo flow's promises, checked against what the API and the notifier actually stored.</summary>
public static class PromoInvariants
{
    public static List<StoredRegistration> Registrations(GraphFixture graph)
    {
        using var db = graph.OpenApiDatabase();
        using var query = db.CreateCommand();
        query.CommandText = "SELECT Sequence, Id, EmailNormalized, Status, Code FROM PromoRegistrations ORDER BY Sequence";
        using var row = query.ExecuteReader();
        var rows = new List<StoredRegistration>();
        while (row.Read())
        {
            rows.Add(new(row.GetInt64(0), row.GetString(1), row.GetString(2), row.GetString(3), row.IsDBNull(4) ? null : row.GetString(4)));
        }

        return rows;
    }

    public static Dictionary<string, string?> NotifierDecisions(GraphFixture graph)
    {
        using var db = graph.OpenNotifierDatabase();
        using var query = db.CreateCommand();
        query.CommandText = "SELECT RegistrationId, Code FROM PromoDecisions";
        using var row = query.ExecuteReader();
        var decisions = new Dictionary<string, string?>();
        while (row.Read())
        {
            decisions.Add(row.GetString(0), row.IsDBNull(1) ? null : row.GetString(1));
        }

        return decisions;
    }

    public static Task<List<StoredRegistration>> AllFinalAsync(GraphFixture graph, TimeSpan timeout) =>
        Eventually.ReturnsAsync(
            () => Task.FromResult(Registrations(graph)),
            rows => rows.All(r => PromoClient.FinalStatuses.Contains(r.Status)),
            timeout,
            "every accepted sign-up reaches a final status");

    public static void AssertHold(GraphFixture graph, int totalCodes)
    {
        var rows = Registrations(graph);
        Assert.All(rows, r => Assert.Contains(r.Status, new[] { "CodeIssued", "SoldOut" }));

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
        Assert.Equal(rows.Select(r => r.Id).Order(), decisions.Keys.Order());
        Assert.Equal(winners.Select(w => (w.Id, w.Code)).OrderBy(p => p.Id),
            decisions.Where(d => d.Value is not null).Select(d => (d.Key, d.Value)).OrderBy(p => p.Key));
    }
}
