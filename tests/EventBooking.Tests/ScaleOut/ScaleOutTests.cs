using System.Diagnostics;
using System.Text.Json;
using EventBooking.Tests.Chaos;
using EventBooking.Tests.Promo;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EventBooking.Tests.ScaleOut;

/// <summary>
/// The promises in the scale-out shape, through an API replica killed mid-burst and each notifier left alone in turn.
/// On the flows' shared graph of the scale-out pass (<c>./test.sh</c>'s second pass), so it costs no graph start of
/// its own; the global invariants it checks hold whatever the other tests signed up before it, and it brings back
/// what it killed.
/// </summary>
[Collection(GraphCollection.Name)]
[Trait("Shapes", "scale-out")]
[Trait("Category", "ScaleOut")]
[TestCaseOrderer(FreshPromotionFirst.TypeName, "EventBooking.Tests")]
public sealed class ScaleOutTests(GraphFixture graph, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    /// <summary>Statuses reach the watchers of every API replica: each replica consumes every status and pushes to its own sockets.</summary>
    [Fact]
    [NeedsFreshPromotion]
    public Task Sixty_sign_ups_watched_across_the_api_replicas_give_the_codes_left_to_the_earliest_each_step_seen_and_the_rest_sold_out_at_once()
    {
        Assert.True(GraphFixture.ScaleOut, "This test needs the scale-out shape: EVENTBOOKING_TEST_SHAPE=scale-out (./test.sh sets it).");
        return FreshPromotionBurst.RunAsync(graph);
    }

    /// <summary>
    /// The same new mailbox reaching both API replicas at once, five times over during a burst: each race costs only
    /// its loser (it hears what a repeat hears), never anybody else's sign-up.
    /// </summary>
    [Fact]
    public async Task Same_mailbox_races_between_the_api_replicas_cost_nobody_else_anything()
    {
        Assert.True(GraphFixture.ScaleOut, "This test needs the scale-out shape: EVENTBOOKING_TEST_SHAPE=scale-out (./test.sh sets it).");
        var run = Guid.NewGuid().ToString("N")[..8];
        async Task<HttpStatusCode> SignUp(string email)
        {
            using var response = await graph.Frontend.PostAsJsonAsync("/api/promo/registrations", new { email, name = "Racer" });
            return response.StatusCode;
        }

        var others = Enumerable.Range(0, 60).Select(i => SignUp($"crowd{i}-{run}@example.com")).ToList();
        var pairs = Enumerable.Range(0, 5).Select(i => Task.WhenAll(SignUp($"pair{i}-{run}@example.com"), SignUp($"PAIR{i}-{run}@example.com"))).ToList();

        var crowd = await Task.WhenAll(others);
        var raced = await Task.WhenAll(pairs);

        Assert.All(crowd, status => Assert.Equal(HttpStatusCode.Accepted, status));
        Assert.All(raced, pair => Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Accepted], pair.Order()));
    }

    [Fact]
    public async Task An_api_replica_killed_mid_burst_and_each_notifier_left_alone_in_turn_keep_one_arrival_order_and_lose_nothing()
    {
        Assert.True(GraphFixture.ScaleOut, "This test needs the scale-out shape: EVENTBOOKING_TEST_SHAPE=scale-out (./test.sh sets it).");
        using var cancel = new CancellationTokenSource(Timeout);
        using var manager = await graph.SignedInManagerAsync();
        var apis = await graph.ReplicasAsync("api");
        Assert.Equal(2, apis.Count);
        var notifiers = await graph.ReplicasAsync("notifier");
        Assert.Equal(2, notifiers.Count);
        var commands = graph.App.Services.GetRequiredService<ResourceCommandService>();
        try
        {
            await ScenarioAsync(manager, apis, notifiers, commands, cancel.Token);
        }
        catch
        {
            output.WriteLine("notifier log:" + Environment.NewLine + graph.Tail("notifier", 60));
            throw;
        }
        finally
        {
            // The graph is shared: what was killed comes back, ready, for the tests after this one.
            foreach (var (resource, instance) in new[] { ("api", apis[0].Instance), ("notifier", notifiers[1].Instance) })
            {
                await StartAgainAsync(resource, instance, commands);
            }
        }
    }

    /// <summary>
    /// Starts a killed replica and waits until its new process runs and the orchestrator sees it healthy (its waits
    /// take resource names, not replica instances, so the instance's own state is read).
    /// </summary>
    private async Task StartAgainAsync(string resource, string instance, ResourceCommandService commands)
    {
        if ((await graph.ReplicasAsync(resource)).Any(r => r.Instance == instance))
        {
            return;
        }

        await Eventually.ReturnsAsync(async () => (await commands.ExecuteCommandAsync(instance, "resource-start", CancellationToken.None)).Success,
            started => started, TimeSpan.FromSeconds(60), $"{instance} starts again");
        await Eventually.HoldsAsync(async () => (await graph.ReplicasAsync(resource)).Any(r => r.Instance == instance)
            && graph.App.ResourceNotifications.TryGetCurrentState(instance, out var state)
            && state.Snapshot.State?.Text == KnownResourceStates.Running
            && state.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy,
            TimeSpan.FromSeconds(90), $"{instance} runs again and is healthy");
    }

    private async Task ScenarioAsync(
        HttpClient manager, List<(string Instance, int Pid)> apis, List<(string Instance, int Pid)> notifiers,
        ResourceCommandService commands, CancellationToken cancel)
    {

        // Burst 1: an API replica crashes (the proxy's other replica serves, clients retry what was in flight), and
        // one notifier is killed: the other, alone, decides everything.
        var first = new ChaosBurst(graph.Frontend, "scale-" + Guid.NewGuid().ToString("N")[..6], signUps: 80, orders: 20);
        var running = first.RunAsync(20);
        await first.ThirdAcknowledged.WaitAsync(cancel);
        Processes.Kill(apis[0].Pid);
        var apiTakeover = await SiteAnswersAgainAsync();
        Processes.Kill(notifiers[0].Pid);
        var killed = Stopwatch.StartNew();
        await running;
        await Eventually.HoldsAsync(() => AllDecidedAsync(manager), TimeSpan.FromSeconds(90), "the remaining notifier decides every sign-up");
        var firstAlone = killed.Elapsed;

        // Burst 2: the killed notifier is back (it read the decisions so far when it started, then stood by while
        // the other decided more); now the other is killed mid-burst, and the one that comes back must decide alone.
        // Healthy once it has read the ledger and consumes, standing by behind the active one (single active consumer).
        await StartAgainAsync("notifier", notifiers[0].Instance, commands);
        var second = new ChaosBurst(graph.Frontend, "scale-" + Guid.NewGuid().ToString("N")[..6], signUps: 40, orders: 0);
        running = second.RunAsync(10);
        await second.ThirdAcknowledged.WaitAsync(cancel);
        Processes.Kill(notifiers[1].Pid);
        killed.Restart();
        await running;
        await Eventually.HoldsAsync(() => AllDecidedAsync(manager), TimeSpan.FromSeconds(90), "the notifier that came back decides every sign-up");
        var secondAlone = killed.Elapsed;
        var all = await RegistrationsAsync(manager);

        // One arrival order over both API replicas: gap-free sequences, codes to the earliest ten, one per email.
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(r => r.Sequence));
        Assert.DoesNotContain(all, r => r.Status == "Failed");
        Assert.Equal(Math.Min(10, all.Count), all.Count(r => r.Code is not null));
        Assert.All(all.Take(10), r => Assert.Equal("CodeIssued", r.Status));
        Assert.Equal(all.Count(r => r.Code is not null), all.Where(r => r.Code is not null).Select(r => r.Code).Distinct().Count());
        var stored = all.Select(r => r.Email).ToHashSet();
        Assert.All(first.SignUps.Concat(second.SignUps), s => Assert.Contains(s.Email, stored));
        // Two senders per database would mail everything twice: one mail per sign-up and per order.
        var recipients = first.SignUps.Concat(second.SignUps).Select(s => s.Email).Concat(first.Orders.Select(o => o.Email)).ToHashSet();
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
        output.WriteLine($"scale-out: {all.Count} sign-ups decided; the site answered {apiTakeover.TotalSeconds:0.00} s after an API replica was killed; " +
            $"with one notifier killed, the other had decided every sign-up {firstAlone.TotalSeconds:0.0} s later (the burst still running); " +
            $"with the other killed, the one that had come back {secondAlone.TotalSeconds:0.0} s later; " +
            $"{first.FailedAttempts + second.FailedAttempts} client retries; {repeats} mail(s) sent again by a killed sender");
    }

    /// <summary>How long the site takes to answer again after an API replica died.</summary>
    private async Task<TimeSpan> SiteAnswersAgainAsync()
    {
        var clock = Stopwatch.StartNew();
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
        return clock.Elapsed;
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

    private static async Task<bool> AllDecidedAsync(HttpClient manager) =>
        (await RegistrationsAsync(manager)) is var all && all.All(r => r.Status is "CodeIssued" or "SoldOut" or "Failed");
}
