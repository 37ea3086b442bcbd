extern alias notifier;

using System.Collections.Immutable;
using EventBooking.Messaging;
using notifier::EventBooking.Notifier.Promo;

namespace EventBooking.FastTests.Promo;

public sealed class PromoDeciderTests
{
    private const int TotalCodes = 10;
    private int _codes;

    [Fact]
    public void A_request_behind_a_gap_waits_and_is_decided_once_its_predecessor_arrives()
    {
        var ledger = CodeLedger.Empty(TotalCodes);

        var waiting = PromoDecider.Plan(ledger, [Request(2, "b"), Request(3, "c")], NewCode);
        var filled = PromoDecider.Plan(waiting.Ledger, [Request(2, "b"), Request(3, "c"), Request(1, "a")], NewCode);

        Assert.Empty(waiting.Decisions);
        Assert.Equal([2L, 3L], waiting.Held.Select(r => r.Sequence));
        Assert.Equal(1, waiting.WaitingFor);
        Assert.Equal([1L, 2L, 3L], filled.Decisions.Select(d => d.Request.Sequence));
        Assert.Empty(filled.Held);
        Assert.Equal(3, filled.Ledger.LastDecided);
    }

    [Fact]
    public void Once_the_codes_are_gone_everyone_after_is_sold_out_in_the_same_plan()
    {
        var requests = Enumerable.Range(1, 25).Select(i => Request(i, $"person{i}")).ToList();

        var plan = PromoDecider.Plan(CodeLedger.Empty(TotalCodes), requests, NewCode);

        Assert.All(plan.Decisions.Take(10), d => Assert.Equal(PromoStatus.CodeIssued, d.Outcome));
        Assert.All(plan.Decisions.Skip(10), d => Assert.Equal(PromoStatus.SoldOut, d.Outcome));
        Assert.True(plan.Ledger.SoldOut);
    }

    [Fact]
    public void A_second_registration_of_an_email_that_holds_a_code_is_sold_out_and_the_code_goes_to_the_next_person()
    {
        var ledger = CodeLedger.Empty(2);

        var plan = PromoDecider.Plan(ledger, [Request(1, "Ada@Example.com"), Request(2, " ada@example.com "), Request(3, "bob@example.com")], NewCode);

        Assert.Equal([PromoStatus.CodeIssued, PromoStatus.SoldOut, PromoStatus.CodeIssued], plan.Decisions.Select(d => d.Outcome));
    }

    [Fact]
    public void After_a_restore_a_code_the_API_already_told_stands_and_counts_and_the_rest_are_decided_after_it()
    {
        var told = Request(1, "ada@example.com") with { Told = PromoStatus.CodeIssued, Code = "EVT-TOLD" };

        var plan = PromoDecider.Plan(CodeLedger.Empty(2), [told, Request(2, "ada@example.com"), Request(3, "bob@example.com"), Request(4, "cy@example.com")], NewCode);

        Assert.Equal([("EVT-TOLD", true), ("CODE-1", false)], plan.Decisions.Where(d => d.Code is not null).Select(d => (d.Code!, d.Adopted)));
        Assert.Equal([PromoStatus.CodeIssued, PromoStatus.SoldOut, PromoStatus.CodeIssued, PromoStatus.SoldOut], plan.Decisions.Select(d => d.Outcome));
        Assert.False(plan.Decisions[0].IsWinner); // recorded as told: no steps, no second mail
        Assert.Equal(1, _codes);
    }

    [Fact]
    public void After_a_restore_a_sold_out_the_API_already_told_stands_even_where_a_code_was_left()
    {
        var told = Request(1, "ada@example.com") with { Told = PromoStatus.SoldOut };

        var plan = PromoDecider.Plan(CodeLedger.Empty(1), [told, Request(2, "bob@example.com")], NewCode);

        Assert.Equal([(PromoStatus.SoldOut, true), (PromoStatus.CodeIssued, false)], plan.Decisions.Select(d => (d.Outcome, d.Adopted)));
    }

    [Fact]
    public void A_redelivered_request_repeats_its_decision_and_takes_no_second_code()
    {
        var first = PromoDecider.Plan(CodeLedger.Empty(TotalCodes), [Request(1, "a")], NewCode);

        var again = PromoDecider.Plan(first.Ledger, [Request(1, "a"), Request(2, "b"), Request(2, "b")], NewCode);

        Assert.Equal([1L, 2L], again.Repeats.Select(r => r.Sequence));
        Assert.Equal([2L], again.Decisions.Select(d => d.Request.Sequence));
        Assert.Equal(TotalCodes - 2, again.Ledger.CodesLeft);
    }

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 200)];

    /// <summary>
    /// Whatever the broker does (duplicates, republished batches arriving out of order, redeliveries) and wherever
    /// the notifier crashes, the stored decisions give exactly min(10, people) codes, one per mailbox, to the earliest
    /// confirmed; a sign-up never confirmed takes no code and ends Expired while codes remain, sold out after.
    /// </summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Any_history_of_deliveries_and_crashes_gives_the_codes_to_the_earliest_people_once_each(int seed)
    {
        var random = new Random(seed);
        var count = random.Next(1, 80);
        var people = Enumerable.Range(0, random.Next(1, count + 1)).Select(i => $"person{i}@example.com").ToArray();
        var requests = Enumerable.Range(1, count)
            .Select(i => Request(i, Spelling(people[random.Next(people.Length)], random)) with { Unconfirmed = random.NextDouble() < 0.25 })
            .ToList();

        var stored = new SortedDictionary<long, NewDecision>();
        var queue = new List<PromoRequested>(requests);
        var inFlight = new List<PromoRequested>();
        var ledger = CodeLedger.Empty(TotalCodes);
        for (var step = 0; stored.Count < count; step++)
        {
            Assert.True(step < 10_000, "the history ends");
            // The broker hands over some messages, sometimes a copy of one again, sometimes a later one first.
            foreach (var _ in Enumerable.Range(0, random.Next(1, 6)))
            {
                if (queue.Count == 0)
                {
                    break;
                }

                var index = random.Next(Math.Min(queue.Count, 3));
                inFlight.Add(queue[index]);
                if (random.NextDouble() > 0.2)
                {
                    queue.RemoveAt(index);
                }
            }

            var plan = PromoDecider.Plan(ledger, inFlight, NewCode);
            if (random.NextDouble() < 0.15)
            {
                // Crash before the commit: nothing of this plan counts; the unacknowledged come back.
                queue.InsertRange(0, inFlight.DistinctBy(r => r.Sequence).Where(r => !stored.ContainsKey(r.Sequence)));
                inFlight.Clear();
                ledger = Reload(stored);
                continue;
            }

            foreach (var decision in plan.Decisions)
            {
                Assert.True(stored.TryAdd(decision.Request.Sequence, decision), $"#{decision.Request.Sequence} decided twice");
            }

            ledger = plan.Ledger;
            inFlight = [.. plan.Held];
            if (queue.Count == 0 && inFlight.Count > 0 && plan.Decisions.Count == 0)
            {
                // What the relay does: a message whose confirm was lost is published again.
                queue.AddRange(requests.Where(r => !stored.ContainsKey(r.Sequence) && !inFlight.Contains(r)));
            }
        }

        var firstConfirmedOfEach = requests.Where(r => !r.Unconfirmed).GroupBy(r => MailboxIdentity.Of(r.Email)).Select(g => g.Min(r => r.Sequence)).Order().ToList();
        var winners = stored.Values.Where(d => d.IsWinner).ToList();
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), stored.Keys);
        Assert.Equal(firstConfirmedOfEach.Take(TotalCodes), winners.Select(w => w.Request.Sequence));
        var lastCode = winners.Count == TotalCodes ? winners[^1].Request.Sequence : long.MaxValue;
        Assert.All(stored.Values.Where(d => d.Request.Unconfirmed), d => Assert.Equal(
            d.Request.Sequence < lastCode ? PromoStatus.Expired : PromoStatus.SoldOut, d.Outcome));
        Assert.Equal(winners.Count, winners.Select(w => w.EmailNormalized).Distinct().Count());
        Assert.Equal(winners.Count, winners.Select(w => w.Code).Distinct().Count());
    }

    private static CodeLedger Reload(SortedDictionary<long, NewDecision> stored)
    {
        var holders = stored.Values.Where(d => d.IsWinner).Select(d => d.EmailNormalized).ToImmutableHashSet();
        return new CodeLedger(TotalCodes - holders.Count, holders, stored.Count == 0 ? 0 : stored.Keys.Max());
    }

    private static string Spelling(string email, Random random) => random.Next(3) switch
    {
        0 => email,
        1 => email.ToUpperInvariant(),
        _ => $"  {email} ",
    };

    private string NewCode() => $"CODE-{++_codes}";

    private static PromoRequested Request(long sequence, string email) =>
        new($"registration-{sequence}", sequence, email, "Someone", DateTime.UnixEpoch);
}
