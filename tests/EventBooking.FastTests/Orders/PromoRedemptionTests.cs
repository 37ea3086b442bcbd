using System.Text.Json;
using System.Text.Json.Nodes;
using EventBooking.ApiService.Orders;
using EventBooking.FastTests.Infrastructure;
using EventBooking.FastTests.Mail;
using EventBooking.Tests.Orders;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EventBooking.FastTests.Orders;

/// <summary>An API whose clock the test moves (a code's 90 days), with the benefit named as an operator would.</summary>
public sealed class RedeemingApi : ApiFactory
{
    public const string Benefit = "20% off the planning fee of your first event";

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Promo:Benefit"] = Benefit };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>As the status consumer stores the notifier's decision: <paramref name="email"/> won a code, <paramref name="daysAgo"/> days ago.</summary>
    public string CodeWonBy(string email, int daysAgo = 0)
    {
        using (var client = ClientAt("192.0.2.70"))
        {
            client.GetAsync("/api/promo").Result.Dispose(); // the API is up and its database made
        }

        var code = PromoCode.New();
        using var db = OpenDatabase(writable: true);
        using var insert = db.CreateCommand();
        insert.CommandText = """
            INSERT INTO "PromoRegistrations" ("Id", "Email", "EmailNormalized", "Name", "Status", "StatusVersion", "Code", "CreatedAt", "UpdatedAt", "DecidedAt", "ReleasedAt")
            VALUES ($id, $email, $identity, 'Winner', 'CodeIssued', 1000, $code, $now, $now, $now, $now)
            """;
        insert.Parameters.AddWithValue("$id", Guid.NewGuid().ToString("N"));
        insert.Parameters.AddWithValue("$email", email);
        insert.Parameters.AddWithValue("$identity", MailboxIdentity.Of(email));
        insert.Parameters.AddWithValue("$code", code);
        insert.Parameters.AddWithValue("$now", Clock.GetUtcNow().UtcDateTime.AddDays(-daysAgo).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF"));
        insert.ExecuteNonQuery();
        return code;
    }
}

/// <summary>A won code is redeemed on an order once, by its winner's mailbox, before it expires.</summary>
public sealed class PromoRedemptionTests(RedeemingApi api) : IClassFixture<RedeemingApi>, IDisposable
{
    private readonly HttpClient _client = api.ClientAt("192.0.2.71");

    public void Dispose() => _client.Dispose();

    private static JsonObject OrderWith(string email, string code)
    {
        var order = OrderRequests.Valid(email);
        order["promoCode"] = code;
        return order;
    }

    private static async Task<string?> CodeProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("errors").GetProperty("promoCode")[0].GetString();
    }

    [Fact]
    public async Task A_winner_redeems_their_code_typed_in_any_case_with_spaces_and_the_confirmation_and_its_mail_name_the_benefit()
    {
        var email = OrderRequests.UniqueEmail("winner");
        var code = api.CodeWonBy(email);
        var typed = $"  {code.ToLowerInvariant().Replace("-", " ")} ";

        using var created = await _client.PostAsync(OrderWith(email, typed));
        var order = await created.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(code, order.GetProperty("promoCode").GetString());
        Assert.Contains(RedeemingApi.Benefit, order.GetProperty("promoNote").GetString());
        Assert.Contains("planner will apply it", order.GetProperty("promoNote").GetString());
        var mail = Assert.Single(QueuedMail.For(api, email)).Message;
        Assert.Contains(code, mail.TextBody);
        Assert.Contains(RedeemingApi.Benefit, mail.TextBody);
    }

    [Theory]
    [InlineData("ada.lovelace{0}@gmail.com", "Ada.Love.Lace{0}+party@googlemail.com")]
    [InlineData("ada{0}@outlook.com", "ADA{0}+events@Outlook.com")]
    public async Task The_winners_mailbox_redeems_it_under_another_spelling_of_the_same_address(string won, string ordering)
    {
        var unique = Guid.NewGuid().ToString("N")[..8];
        var code = api.CodeWonBy(string.Format(won, unique));

        using var created = await _client.PostAsync(OrderWith(string.Format(ordering, unique), code));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Theory]
    [InlineData("EVT-2222-3333-4444")] // well formed, never issued
    [InlineData("EVT-0000-OOOO-1111")] // look-alike characters no code has
    [InlineData("SUMMER-SALE")]
    public async Task A_code_this_promotion_never_issued_is_refused_on_the_field_and_nothing_is_stored(string code)
    {
        var email = OrderRequests.UniqueEmail();

        using var refused = await _client.PostAsync(OrderWith(email, code));

        Assert.Equal(PromoRedemption.Unknown, await CodeProblemAsync(refused));
        Assert.Empty(QueuedMail.For(api, email));
    }

    [Fact]
    public async Task Another_persons_code_is_not_valid_for_this_email_address()
    {
        var code = api.CodeWonBy(OrderRequests.UniqueEmail("winner"));

        using var refused = await _client.PostAsync(OrderWith(OrderRequests.UniqueEmail("someone-else"), code));

        Assert.Equal("This code is not valid for this email address. Use the address the code was sent to.", await CodeProblemAsync(refused));
    }

    [Fact]
    public async Task A_used_code_is_refused_until_its_order_is_cancelled_then_its_owner_uses_it_again_and_the_history_says_why()
    {
        var email = OrderRequests.UniqueEmail("winner");
        var code = api.CodeWonBy(email);
        using var first = await _client.PostAsync(OrderWith(email, code));
        var reference = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString();

        using var second = await _client.PostAsync(OrderWith(email, code));
        Assert.Equal(PromoRedemption.InUse, await CodeProblemAsync(second));

        using var manager = await api.SignedInManagerAsync();
        var list = await manager.GetFromJsonAsync<JsonElement>($"/api/admin/orders?search={reference}");
        var id = list.GetProperty("items")[0].GetProperty("id").GetString();
        using var cancelled = await manager.PatchAsJsonAsync($"/api/admin/orders/{id}", new { status = "cancelled", version = 0, note = "Client changed plans." });
        var history = (await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("history")[0].GetProperty("note").GetString();
        using var third = await _client.PostAsync(OrderWith(email, code));

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Contains("Client changed plans.", history);
        Assert.Contains($"Promo code {code} given back to its owner", history);
        Assert.Equal(HttpStatusCode.Created, third.StatusCode);
    }

    [Fact]
    public async Task A_code_is_refused_plainly_once_its_ninety_days_are_over()
    {
        var email = OrderRequests.UniqueEmail("winner");
        var lastDay = api.CodeWonBy(email, daysAgo: 89);
        var lateEmail = OrderRequests.UniqueEmail("late");
        var expired = api.CodeWonBy(lateEmail, daysAgo: 91);

        using var accepted = await _client.PostAsync(OrderWith(email, lastDay));
        using var refused = await _client.PostAsync(OrderWith(lateEmail, expired));

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Matches("^This code could be used until .+; it has expired\\.$", await CodeProblemAsync(refused));
    }

    [Fact]
    public async Task Twenty_orders_at_once_with_one_code_store_exactly_one()
    {
        var email = OrderRequests.UniqueEmail("winner");
        var code = api.CodeWonBy(email);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await _client.PostAsync(OrderWith(email, code), idempotencyKey: Guid.NewGuid().ToString());
            return response.StatusCode;
        }));

        Assert.Equal(1, answers.Count(a => a == HttpStatusCode.Created));
        Assert.Equal(19, answers.Count(a => a == HttpStatusCode.BadRequest));
        using var db = api.OpenDatabase();
        using var count = db.CreateCommand();
        count.CommandText = """SELECT COUNT(*) FROM "Orders" WHERE "PromoCode" = $code""";
        count.Parameters.AddWithValue("$code", code);
        Assert.Equal(1L, count.ExecuteScalar());
    }

    [Fact]
    public async Task A_repeat_with_the_same_idempotency_key_returns_the_first_order_rather_than_calling_the_code_used()
    {
        var email = OrderRequests.UniqueEmail("winner");
        var code = api.CodeWonBy(email);
        var order = OrderWith(email, code);
        var key = Guid.NewGuid().ToString();

        using var first = await _client.PostAsync(order, key);
        using var repeat = await _client.PostAsync(order, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(
            (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString(),
            (await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString());
    }
}
