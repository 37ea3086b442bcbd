using EventBooking.ApiService.Promo;
using EventBooking.ApiService.Realtime;
using EventBooking.Messaging;

namespace EventBooking.FastTests.Rules;

public sealed class StatusWatcherTests
{
    private readonly PromoStatusHub _hub = new();

    [Fact]
    public void A_page_gets_each_newer_status_once_and_never_an_older_one()
    {
        using var watcher = _hub.Watch("registration", 7);

        _hub.Publish(Status(PromoStatus.Processing, 2));
        _hub.Publish(Status(PromoStatus.Processing, 1));
        _hub.Publish(Status(PromoStatus.Processing, 2));
        _hub.Publish(Status(PromoStatus.SoldOut, PromoStatusChanged.FinalVersion));

        Assert.Equal([2, PromoStatusChanged.FinalVersion], Drain(watcher).Select(s => s.Version));
    }

    [Fact]
    public void A_page_that_opens_after_its_decision_was_pushed_starts_from_it()
    {
        _hub.Publish(Status(PromoStatus.CodeIssued, PromoStatusChanged.FinalVersion));

        using var watcher = _hub.Watch("registration", 7);

        Assert.Equal(PromoStatus.CodeIssued, Assert.Single(Drain(watcher)).Status);
    }

    [Fact]
    public void Another_registrations_status_never_reaches_this_page()
    {
        using var watcher = _hub.Watch("registration", 7);

        _hub.Publish(Status(PromoStatus.CodeIssued, PromoStatusChanged.FinalVersion) with { RegistrationId = "someone-else" });

        Assert.Empty(Drain(watcher));
    }

    [Fact]
    public void The_hub_knows_a_page_waits_on_confirmations_until_its_status_moves_on_or_the_page_closes()
    {
        var awaiting = _hub.Watch("registration", 7);
        using var confirmed = _hub.Watch("someone-else", 8);
        Assert.False(_hub.AnyWaitOnConfirmations);

        _hub.Publish(Status(PromoStatus.AwaitingConfirmation, 1));
        _hub.Publish(Status(PromoStatus.Queued, 1) with { RegistrationId = "someone-else", UnconfirmedAhead = 1 });
        Assert.True(_hub.AnyWaitOnConfirmations);

        _hub.Publish(Status(PromoStatus.Queued, 2) with { RegistrationId = "someone-else" });
        Assert.True(_hub.AnyWaitOnConfirmations);

        awaiting.Dispose();
        Assert.False(_hub.AnyWaitOnConfirmations);
        Assert.False(awaiting.Offer(Status(PromoStatus.AwaitingConfirmation, 3)));
        Assert.False(_hub.AnyWaitOnConfirmations);
    }

    [Fact]
    public void The_eta_follows_the_pace_of_decisions()
    {
        Assert.Null(_hub.EtaFor(3));
        _hub.DecisionObserved(DateTime.UnixEpoch);
        _hub.DecisionObserved(DateTime.UnixEpoch.AddSeconds(2));

        Assert.Equal(8, _hub.EtaFor(3));
    }

    private static List<PromoStatusDocument> Drain(StatusWatcher watcher)
    {
        var seen = new List<PromoStatusDocument>();
        while (watcher.Updates.TryRead(out var status))
        {
            seen.Add(status);
        }

        return seen;
    }

    private static PromoStatusDocument Status(PromoStatus status, int version) =>
        new("registration", 7, status, version, null, null, null, null, "message", DateTime.UnixEpoch);
}
