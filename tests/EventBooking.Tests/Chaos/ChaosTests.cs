using System.Diagnostics;
using EventBooking.Tests.Orders;
using EventBooking.Tests.Promo;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace EventBooking.Tests.Chaos;

/// <summary>
/// Faults in the middle of a burst of 150 sign-ups and 40 orders from 50 clients. After each: everything
/// acknowledged is stored, every sign-up is decided, codes went to the earliest arrivals, nothing is duplicated.
/// </summary>
[Collection(ChaosCollection.Name)]
[Trait("Category", "Chaos")]
[TestCaseOrderer(FreshPromotionFirst.TypeName, "EventBooking.Tests")]
public sealed partial class ChaosTests(ChaosFixture graph, ITestOutputHelper output)
{
    private const int SignUps = 150;
    private const int Orders = 40;
    private const int Clients = 50;
    private const int TotalCodes = 10;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Killing_the_notifier_mid_burst_loses_nothing_and_issues_no_extra_code()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var burst = new ChaosBurst(graph.Frontend, "notifier-" + Guid.NewGuid().ToString("N")[..6], SignUps, Orders);
        var running = burst.RunAsync(Clients);
        await burst.ThirdAcknowledged.WaitAsync(cancel.Token);

        await graph.KillAsync("notifier");
        var down = Stopwatch.StartNew();
        var waitingAtCrash = PromoInvariants.Registrations(graph)
            .Where(r => r.Email.StartsWith(burst.EmailPrefix, StringComparison.Ordinal) && !PromoClient.FinalStatuses.Contains(r.Status))
            .Select(r => r.Id).ToHashSet();
        await graph.StartAgainAsync("notifier", cancel.Token);
        await graph.WaitUntilHealthyAsync("notifier", cancel.Token);
        var healthy = down.Elapsed;
        await Eventually.HoldsAsync(() => waitingAtCrash.IsSubsetOf(Decided().Select(r => r.Id)), TimeSpan.FromSeconds(60),
            $"the restarted notifier decided all {waitingAtCrash.Count} sign-ups that were waiting when it was killed");
        var deciding = down.Elapsed;

        await running;
        await burst.AssertNothingLostAsync(graph);
        output.WriteLine($"notifier kill -9: healthy again after {healthy.TotalSeconds:0.0} s, {waitingAtCrash.Count} waiting sign-ups decided after {deciding.TotalSeconds:0.0} s; " +
            $"{burst.FailedAttempts} client retries");
    }

    [Fact]
    public async Task The_mail_server_down_longer_than_any_retry_pause_and_the_notifier_killed_mid_burst_delay_mail_but_every_mail_arrives_once()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        await graph.StopAsync("mail", cancel.Token);
        var stopped = Stopwatch.StartNew();
        var burst = new ChaosBurst(graph.Frontend, "mail-" + Guid.NewGuid().ToString("N")[..6], signUps: 100, orders: 30);
        TimeSpan outage;
        try
        {
            var running = burst.RunAsync(20);
            await burst.ThirdAcknowledged.WaitAsync(cancel.Token);
            await graph.KillAsync("notifier");
            await graph.StartAgainAsync("notifier", cancel.Token);
            await running;
            // The length of the outage is the point: the sender's retries must outlast it.
            await Task.Delay(ChaosFixture.LongFault - stopped.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero, cancel.Token);
        }
        finally
        {
            outage = stopped.Elapsed;
            await graph.StartAgainAsync("mail", cancel.Token);
        }

        await graph.App.ResourceNotifications.WaitForResourceHealthyAsync("mail", cancel.Token);
        var back = Stopwatch.StartNew();
        var recipients = burst.SignUps.Select(s => s.Email).Concat(burst.Orders.Select(o => o.Email)).ToHashSet();
        var inbox = await graph.Mailbox.WaitForAsync(all => recipients.IsSubsetOf(all.SelectMany(m => m.To.Mailboxes).Select(to => to.Address)),
            TimeSpan.FromSeconds(90), "a mail for every sign-up and order of the burst");
        var delivered = back.Elapsed;
        await burst.AssertNothingLostAsync(graph);

        var burstMail = inbox.Where(m => m.To.Mailboxes.Any(to => recipients.Contains(to.Address))).ToList();
        Assert.Equal(recipients.Count, burstMail.Count);
        Assert.Equal(burstMail.Count, burstMail.Select(m => m.MessageId).Distinct().Count());
        output.WriteLine($"mail server down {outage.TotalSeconds:0} s, notifier killed meanwhile: all " +
            $"{burstMail.Count} mails delivered {delivered.TotalSeconds:0.0} s after it was healthy again, none twice");
    }

    [Fact]
    public async Task The_broker_stopped_mid_burst_longer_than_any_retry_pause_keeps_the_api_accepting_a_restarted_notifier_waiting_and_loses_nothing()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var burst = new ChaosBurst(graph.Frontend, "broker-" + Guid.NewGuid().ToString("N")[..6], SignUps, Orders);
        var running = burst.RunAsync(Clients);
        await burst.ThirdAcknowledged.WaitAsync(cancel.Token);

        var stopping = await graph.StopAsync("messaging", cancel.Token);
        var stopped = Stopwatch.StartNew();
        var acceptedBefore = burst.SignUps.Count + burst.Orders.Count;
        (string Status, string Body) health, notifierWaiting;
        int acceptedWhileDown;
        try
        {
            health = await Eventually.ReturnsAsync(() => graph.HealthAsync("api"), h => h.Status == "Degraded", TimeSpan.FromSeconds(30), "/health says degraded");
            using (var alive = await graph.Api.GetAsync("/alive", cancel.Token))
            {
                Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
            }

            // The burst may be over by now: new clients arrive while the broker is still down, and are served.
            var whileDown = await Task.WhenAll(Enumerable.Range(0, 5).Select(async i =>
            {
                using var response = await graph.Frontend.PostAsJsonAsync("/api/promo/registrations",
                    new { email = $"while-down-{i}-{Guid.NewGuid():N}@example.com", name = "Patient" }, cancel.Token);
                return response.StatusCode;
            }));
            Assert.All(whileDown, status => Assert.Equal(HttpStatusCode.Accepted, status));
            using (var order = await graph.Frontend.PostAsync(OrderRequests.Valid()))
            {
                Assert.Equal(HttpStatusCode.Created, order.StatusCode);
            }

            acceptedWhileDown = burst.SignUps.Count + burst.Orders.Count - acceptedBefore + whileDown.Length + 1;

            // A notifier that starts without a broker stays up, says why it cannot work, and waits for it.
            await graph.KillAsync("notifier");
            await graph.StartAgainAsync("notifier", cancel.Token);
            notifierWaiting = await Eventually.ReturnsAsync(() => graph.HealthAsync("notifier"), h => h.Status == "Unhealthy", TimeSpan.FromSeconds(60),
                "the restarted notifier reports the broker missing");
            // The length of the outage is the point: every retry must outlast it.
            await Task.Delay(ChaosFixture.LongFault - stopped.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero, cancel.Token);
        }
        finally
        {
            await graph.StartAgainAsync("messaging", cancel.Token);
        }

        var outage = stopped.Elapsed;
        var restarted = Stopwatch.StartNew();
        await graph.App.ResourceNotifications.WaitForResourceHealthyAsync("messaging", cancel.Token);
        await AssertTopologyIsDurableAsync(cancel.Token);
        await Eventually.ReturnsAsync(() => graph.HealthAsync("api"), h => h.Status == "Healthy", TimeSpan.FromSeconds(60), "/health is healthy again");
        var recovered = restarted.Elapsed;

        await running;
        await ExplainedAsync(() => burst.AssertNothingLostAsync(graph));
        await Eventually.ReturnsAsync(() => graph.HealthAsync("notifier"), h => h.Status == "Healthy", TimeSpan.FromSeconds(60), "the notifier heals");
        Assert.True(health.Status == "Degraded", health.Body);
        output.WriteLine($"broker stopped in {stopping.TotalSeconds:0.0} s, down {outage.TotalSeconds:0.0} s: {acceptedWhileDown} requests accepted meanwhile; " +
            $"the restarted notifier said {notifierWaiting.Body}; API healthy {recovered.TotalSeconds:0.0} s after the broker was started again; " +
            $"{burst.FailedAttempts} client retries");
    }

    [Fact]
    public async Task Killing_the_api_mid_burst_loses_no_acknowledged_request_and_duplicates_nothing()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var burst = new ChaosBurst(graph.Frontend, "api-" + Guid.NewGuid().ToString("N")[..6], SignUps, Orders);
        var running = burst.RunAsync(Clients);
        await burst.ThirdAcknowledged.WaitAsync(cancel.Token);

        await graph.KillAsync("api");
        var down = Stopwatch.StartNew();
        await graph.StartAgainAsync("api", cancel.Token);
        await Eventually.SucceedsAsync(async () => (await graph.Frontend.GetAsync("/api/promo", cancel.Token)).EnsureSuccessStatusCode(),
            TimeSpan.FromSeconds(60), "the API answers again");
        var answering = down.Elapsed;

        await running;
        await burst.AssertNothingLostAsync(graph);
        output.WriteLine($"api kill -9: answering again after {answering.TotalSeconds:0.0} s; {burst.FailedAttempts} client retries");
    }

    private List<StoredRegistration> Decided() =>
        PromoInvariants.Registrations(graph).Where(r => PromoClient.FinalStatuses.Contains(r.Status)).ToList();

    /// <summary>On failure, the services' last log lines go to the test output.</summary>
    private async Task ExplainedAsync(Func<Task> assertion)
    {
        try
        {
            await assertion();
        }
        catch
        {
            output.WriteLine("notifier log:" + Environment.NewLine + graph.Tail("notifier", 40));
            output.WriteLine("api log:" + Environment.NewLine + graph.Tail("api", 40));
            throw;
        }
    }

    /// <summary>Right after the broker is back (before the services redeclare anything), the topology is there.</summary>
    private async Task AssertTopologyIsDurableAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri((await graph.App.GetConnectionStringAsync("messaging", cancellationToken))!) };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        foreach (var queue in new[] { "promo.requests.v2", "promo.requests.dead", "promo.status.store" })
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
        }

        await using var exchanges = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await exchanges.ExchangeDeclarePassiveAsync("promo.status", cancellationToken);
        await exchanges.ExchangeDeclarePassiveAsync("promo.requests.dlx", cancellationToken);
    }
}
