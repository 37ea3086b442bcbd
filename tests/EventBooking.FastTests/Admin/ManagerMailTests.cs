using System.Text.Json;
using EventBooking.ApiService.Notifications;
using EventBooking.FastTests.Infrastructure;
using EventBooking.FastTests.Mail;
using EventBooking.Tests.Orders;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace EventBooking.FastTests.Admin;

/// <summary>An API whose clock the test moves, so the managers' mail is gathered and spaced as shipped (3 s quiet, 1 a minute).</summary>
public class NotifyingApi : ApiFactory
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>Moves the clock on and runs the mail's pass as its loop would (the loop may run it too; each request is told once).</summary>
    public async Task AfterAsync(TimeSpan wait)
    {
        Clock.Advance(wait);
        await Services.GetRequiredService<ManagerDigest>().SendDueAsync(CancellationToken.None);
    }

    /// <summary>Everything pending told, and the last mail long enough ago that the next one may go at once.</summary>
    public async Task SettledAsync()
    {
        await AfterAsync(TimeSpan.FromMinutes(2));
        await AfterAsync(TimeSpan.FromMinutes(2));
    }

    public List<MimeMessage> ManagerMails(string manager = ManagerEmail) =>
        [.. QueuedMail.For(this, manager).Where(m => m.Kind == ApiService.Notifications.ManagerMails.NewRequestsKind).Select(m => m.Message)];
}

/// <summary>The same, with the managers to tell named in Notifications:ManagerEmails.</summary>
public sealed class ListedManagersApi : NotifyingApi
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Notifications:ManagerEmails:0"] = "events-desk@eventbooking.local",
    };
}

/// <summary>Managers hear of every new request by mail, soon, gathered, and only if they want to.</summary>
public sealed class ManagerMailTests(NotifyingApi api) : IClassFixture<NotifyingApi>, IDisposable
{
    private readonly HttpClient _client = api.ClientAt("192.0.2.60");

    public void Dispose() => _client.Dispose();

    private async Task<JsonElement> OrderAsync()
    {
        using var created = await _client.PostAsync(OrderRequests.Valid());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return await created.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task One_new_request_is_mailed_to_the_manager_within_seconds_with_a_link_straight_to_it()
    {
        await api.SettledAsync();
        var before = api.ManagerMails().Count;
        var reference = (await OrderAsync()).GetProperty("reference").GetString()!;

        await api.AfterAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(before, api.ManagerMails().Count); // a burst may still be coming
        await api.AfterAsync(TimeSpan.FromSeconds(3));

        var mail = Assert.Single(api.ManagerMails().Skip(before));
        Assert.Contains(reference, mail.Subject);
        using var manager = await api.SignedInManagerAsync();
        var id = (await manager.GetFromJsonAsync<JsonElement>($"/api/admin/orders?search={reference}")).GetProperty("items")[0].GetProperty("id").GetString();
        Assert.Contains($"/admin#order={id}", mail.HtmlBody);
    }

    [Fact]
    public async Task Fifty_requests_in_a_burst_make_one_mail_holding_all_fifty_and_the_next_waits_its_minute()
    {
        await api.SettledAsync();
        var before = api.ManagerMails().Count;

        var orders = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => OrderAsync()));
        await api.AfterAsync(TimeSpan.FromSeconds(4));

        var digest = Assert.Single(api.ManagerMails().Skip(before));
        Assert.Equal("50 new event requests", digest.Subject);
        Assert.All(orders, order => Assert.Contains(order.GetProperty("reference").GetString()!, digest.TextBody));

        var late = (await OrderAsync()).GetProperty("reference").GetString()!;
        await api.AfterAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(before + 1, api.ManagerMails().Count);
        await api.AfterAsync(TimeSpan.FromSeconds(31));
        Assert.Contains(late, api.ManagerMails()[^1].Subject);
    }

    [Fact]
    public async Task A_manager_who_switches_the_mails_off_gets_none_and_it_is_kept_with_their_account()
    {
        using var manager = await api.SignedInManagerAsync();
        await api.SettledAsync();
        var before = api.ManagerMails().Count;
        using (var off = await manager.PutAsJsonAsync("/api/admin/me", new { mailOnNewRequests = false }))
        {
            Assert.False((await off.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("mailOnNewRequests").GetBoolean());
        }

        try
        {
            await OrderAsync();
            await api.AfterAsync(TimeSpan.FromSeconds(4));

            Assert.Equal(before, api.ManagerMails().Count);
            using var again = await api.SignedInManagerAsync(); // another session of the same account
            Assert.False((await again.GetFromJsonAsync<JsonElement>("/api/admin/me")).GetProperty("mailOnNewRequests").GetBoolean());
        }
        finally
        {
            (await manager.PutAsJsonAsync("/api/admin/me", new { mailOnNewRequests = true })).Dispose();
        }
    }

    [Fact]
    public async Task The_count_of_new_requests_is_since_this_manager_last_looked()
    {
        using var manager = await api.SignedInManagerAsync();
        using (var looked = await manager.PostAsync("/api/admin/me/looked", null))
        {
            Assert.Equal(0, (await looked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("newSinceLastLook").GetInt32());
        }

        api.Clock.Advance(TimeSpan.FromSeconds(1));
        await OrderAsync();
        await OrderAsync();

        var me = await manager.GetFromJsonAsync<JsonElement>("/api/admin/me");
        Assert.Equal(2, me.GetProperty("newSinceLastLook").GetInt32());
        Assert.Equal(ApiFactory.ManagerEmail, me.GetProperty("email").GetString());
    }
}

/// <summary>Notifications:ManagerEmails names who is told, in place of every manager account.</summary>
public sealed class ListedManagerMailTests(ListedManagersApi api) : IClassFixture<ListedManagersApi>
{
    [Fact]
    public async Task The_listed_addresses_are_told_and_the_accounts_not_listed_are_not()
    {
        using var client = api.ClientAt("192.0.2.61");
        using var created = await client.PostAsync(OrderRequests.Valid());
        await api.AfterAsync(TimeSpan.FromSeconds(4));

        Assert.Single(api.ManagerMails("events-desk@eventbooking.local"));
        Assert.Empty(api.ManagerMails());
    }
}

/// <summary>A manager's first changes, from two tabs at once, on an account with no settings yet.</summary>
public sealed class ManagerSettingsRaceTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Ten_first_changes_at_once_are_all_stored_none_refused()
    {
        using var manager = await api.SignedInManagerAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            using var response = i % 2 == 0
                ? await manager.PutAsJsonAsync("/api/admin/me", new { mailOnNewRequests = false })
                : await manager.PostAsync("/api/admin/me/looked", null);
            return response.StatusCode;
        }));

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
        var me = await manager.GetFromJsonAsync<JsonElement>("/api/admin/me");
        Assert.False(me.GetProperty("mailOnNewRequests").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, me.GetProperty("lastLookedAt").ValueKind);
    }
}
