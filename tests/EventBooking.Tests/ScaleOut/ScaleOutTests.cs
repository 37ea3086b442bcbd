using System.Diagnostics;
using System.Text.Json;
using EventBooking.Tests.Chaos;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EventBooking.Tests.ScaleOut;

/// <summary>The promises in the scale-out shape, through an API replica and each notifier killed mid-burst.</summary>
[Collection(ScaleOutCollection.Name)]
[Trait("Category", "ScaleOut")]
public sealed class ScaleOutTests(ScaleOutFixture graph, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Killing_an_api_replica_and_each_notifier_in_turn_mid_burst_keeps_one_arrival_order_and_loses_nothing()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        using var manager = await graph.SignedInManagerAsync();
        Assert.Equal(2, (await graph.ReplicasAsync("api")).Count);
        Assert.Equal(2, (await graph.ReplicasAsync("notifier")).Count);
        var burst = new ChaosBurst(graph.Frontend, "scale-" + Guid.NewGuid().ToString("N")[..6], signUps: 200, orders: 40);
        var running = burst.RunAsync(20);
        await burst.ThirdAcknowledged.WaitAsync(cancel.Token);

        // An API replica crashes: the proxy's other replica serves, clients retry what was in flight.
        Processes.Kill((await graph.ReplicasAsync("api"))[0].Pid);
        var apiKilled = Stopwatch.StartNew();
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                using var probe = await graph.Frontend.GetAsync("/api/promo");
                return probe.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false; // the site's connection went to the dead replica
            }
        }, TimeSpan.FromSeconds(30), "the site answers through the other API replica");
        var apiTakeover = apiKilled.Elapsed;

        // Each notifier in turn, so one of the two kills hits the active one: the standby takes over.
        var takeovers = new List<TimeSpan>();
        var commands = graph.App.Services.GetRequiredService<ResourceCommandService>();
        foreach (var round in new[] { 0, 1 })
        {
            var notifiers = await Eventually.ReturnsAsync(() => graph.ReplicasAsync("notifier"), running => running.Count == 2,
                TimeSpan.FromSeconds(60), "both notifiers run");
            var (instance, pid) = notifiers.OrderBy(r => r.Instance).ElementAt(round);
            var decidedBefore = (await FinalAsync(manager)).Count;
            Processes.Kill(pid);
            var killed = Stopwatch.StartNew();
            await Eventually.HoldsAsync(async () => (await FinalAsync(manager)).Count > decidedBefore || await AllDecidedAsync(manager),
                TimeSpan.FromSeconds(60), "decisions go on after a notifier is killed");
            takeovers.Add(killed.Elapsed);
            await Eventually.ReturnsAsync(async () => (await commands.ExecuteCommandAsync(instance, "resource-start", cancel.Token)).Success,
                started => started, TimeSpan.FromSeconds(60), $"{instance} starts again");
        }

        await running;
        await Eventually.HoldsAsync(() => AllDecidedAsync(manager), TimeSpan.FromSeconds(120), "every sign-up is decided");
        var all = await RegistrationsAsync(manager);

        // One arrival order over both API replicas: gap-free sequences, codes to the earliest ten, one per email.
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(r => r.Sequence));
        Assert.DoesNotContain(all, r => r.Status == "Failed");
        Assert.Equal(Math.Min(10, all.Count), all.Count(r => r.Code is not null));
        Assert.All(all.Take(10), r => Assert.Equal("CodeIssued", r.Status));
        Assert.Equal(all.Count(r => r.Code is not null), all.Where(r => r.Code is not null).Select(r => r.Code).Distinct().Count());
        var stored = all.Select(r => r.Email).ToHashSet();
        Assert.All(burst.SignUps, s => Assert.Contains(s.Email, stored));
        // Two senders per database would mail everything twice: one mail per sign-up and per order.
        var recipients = burst.SignUps.Select(s => s.Email).Concat(burst.Orders.Select(o => o.Email)).ToHashSet();
        var inbox = await graph.Mailbox.WaitForAsync(mails => recipients.IsSubsetOf(mails.SelectMany(m => m.To.Mailboxes).Select(to => to.Address)),
            TimeSpan.FromSeconds(60), "a mail for every sign-up and order");
        // A client whose answer died with the API replica signs up again and is told (by mail) where its request is:
        // that status link is a mail of its own; everything else comes once.
        var burstMail = inbox.Where(m => m.To.Mailboxes.Any(to => recipients.Contains(to.Address))).ToList();
        var distinct = burstMail.Select(m => m.MessageId!).Distinct().ToList();
        Assert.Equal(recipients.Count, distinct.Count(id => !id.StartsWith("promo-link.", StringComparison.Ordinal)));
        // A sender killed between the mail server's "accepted" and its own record sends that one mail again, under
        // the same Message-Id (see README, Email): at most one repeat per process killed (three here), none otherwise.
        var repeats = burstMail.Count - distinct.Count;
        Assert.InRange(repeats, 0, 3);
        output.WriteLine($"scale-out: {all.Count} sign-ups decided; the site answered {apiTakeover.TotalSeconds:0.00} s after an API replica was killed; notifier kills answered after {string.Join(" and ", takeovers.Select(t => $"{t.TotalSeconds:0.0} s"))}; " +
            $"{burst.FailedAttempts} client retries; {repeats} mail(s) sent again by a killed sender");
    }

    private sealed record Registration(long Sequence, string Email, string Status, string? Code);

    private static async Task<List<Registration>> RegistrationsAsync(HttpClient manager)
    {
        var all = new List<Registration>();
        for (var page = 1; ; page++)
        {
            var body = await manager.GetFromJsonAsync<JsonElement>($"/api/admin/promo/registrations?page={page}&pageSize=100");
            var items = body.GetProperty("items").EnumerateArray().Select(r => new Registration(
                r.GetProperty("sequence").GetInt64(), r.GetProperty("email").GetString()!,
                // "code-issued" on the wire; compared here in the C# spelling.
                r.GetProperty("status").GetString()!.Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant() switch
                {
                    "codeissued" => "CodeIssued",
                    "soldout" => "SoldOut",
                    var other => char.ToUpperInvariant(other[0]) + other[1..],
                },
                r.GetProperty("code").GetString())).ToList();
            all.AddRange(items);
            if (items.Count < 100)
            {
                return all;
            }
        }
    }

    private static async Task<List<Registration>> FinalAsync(HttpClient manager) =>
        [.. (await RegistrationsAsync(manager)).Where(r => r.Status is "CodeIssued" or "SoldOut" or "Failed")];

    private static async Task<bool> AllDecidedAsync(HttpClient manager) =>
        (await RegistrationsAsync(manager)) is var all && all.All(r => r.Status is "CodeIssued" or "SoldOut" or "Failed");
}
