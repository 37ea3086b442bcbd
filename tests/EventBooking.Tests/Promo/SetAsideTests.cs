using System.Text.Json;
using EventBooking.Messaging;
using Microsoft.Data.Sqlite;

namespace EventBooking.Tests.Promo;

/// <summary>A sign-up that can never be processed is set aside; it never holds the strict-order queue.</summary>
[Collection(GraphCollection.Name)]
public sealed class SetAsideTests(GraphFixture graph)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_sign_up_no_mail_can_be_sent_to_is_set_aside_as_failed_and_the_next_one_is_decided()
    {
        // As an older build (or a bug) could have queued it: .NET's MailAddress takes "x.@", MimeKit cannot send to it.
        var (id, sequence) = PlaceOnTheQueue($"x{Guid.NewGuid():N}.@example.com");
        var next = await graph.Frontend.SignUpAsync($"after-set-aside-{Guid.NewGuid():N}@example.com");

        var setAside = await graph.Frontend.FinalStatusAsync(id, Timeout);
        var decided = await graph.Frontend.FinalStatusAsync(next.RegistrationId, Timeout);

        Assert.Equal("Failed", setAside.GetProperty("status").GetString());
        Assert.Contains("contact us", setAside.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(decided.GetProperty("status").GetString(), new[] { "CodeIssued", "SoldOut" });
        var health = await Eventually.ReturnsAsync(() => graph.HealthAsync("notifier"), h => h.Body.Contains($"#{sequence}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "the notifier's /health names the request it set aside");
        Assert.Equal("Degraded", health.Status);
        await Eventually.HoldsAsync(() => graph.Tail("notifier", int.MaxValue).Contains($"Promo request #{sequence} can never be processed", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "the notifier logged an error naming the request");
    }

    /// <summary>Stores a sign-up and its queued request straight into the API's database, past today's email rule.</summary>
    private (string Id, long Sequence) PlaceOnTheQueue(string email)
    {
        Assert.False(graph.OnPostgres, "This test writes the API's SQLite file (default shape).");
        var id = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var now = DateTime.UtcNow;
        using var db = new SqliteConnection($"Data Source={graph.ApiDatabasePath};Default Timeout=30");
        db.Open();
        using var transaction = db.BeginTransaction();
        using var registration = db.CreateCommand();
        registration.CommandText = """
            INSERT INTO "PromoRegistrations" ("Id", "Email", "EmailNormalized", "Name", "Status", "StatusVersion", "CreatedAt", "UpdatedAt")
            VALUES ($id, $email, $email, 'Unsendable', 'Queued', 0, $now, $now);
            SELECT last_insert_rowid();
            """;
        registration.Parameters.AddWithValue("$id", id);
        registration.Parameters.AddWithValue("$email", email);
        registration.Parameters.AddWithValue("$now", now);
        var sequence = (long)registration.ExecuteScalar()!;

        using var outbox = db.CreateCommand();
        outbox.CommandText = """
            INSERT INTO "Outbox" ("Type", "MessageId", "Payload", "CreatedAt") VALUES ($type, $id, $payload, $now)
            """;
        outbox.Parameters.AddWithValue("$type", PromoRequested.ContractType);
        outbox.Parameters.AddWithValue("$id", id);
        outbox.Parameters.AddWithValue("$payload", JsonSerializer.Serialize(new PromoRequested(id, sequence, email, "Unsendable", now), PromoJson.Options));
        outbox.Parameters.AddWithValue("$now", now);
        outbox.ExecuteNonQuery();
        transaction.Commit();
        return (id, sequence);
    }
}
