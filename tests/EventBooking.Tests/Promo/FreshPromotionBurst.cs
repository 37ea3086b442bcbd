using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace EventBooking.Tests.Promo;

/// <summary>
/// 60 sign-ups and 20 repeats on a promotion nobody has touched, every client watching before any is decided: ten
/// codes to the earliest, each winner's watcher sees each step, the rest hear sold out at once, one mail each. Run on
/// the chaos graph (default shape) and on a scale-out graph of its own (watchers spread over the API replicas).
/// </summary>
public static class FreshPromotionBurst
{
    public static async Task RunAsync(GraphFixture graph)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        // With the notifier down the requests wait in the queue, so every client is watching before processing starts.
        await graph.KillAsync("notifier");

        var emails = Enumerable.Range(0, 60).Select(i => $"burst-{i}-{Guid.NewGuid():N}@example.com").ToArray();
        var originals = await Task.WhenAll(emails.Select(email => graph.Frontend.SignUpAsync(email)));
        var repeats = await Task.WhenAll(emails.Take(20).Select(async email =>
        {
            using var response = await graph.Frontend.PostAsJsonAsync("/api/promo/registrations", new { email = email.ToUpperInvariant(), name = "Again" });
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.Equal(60, originals.Select(s => s.RegistrationId).Distinct().Count());
        Assert.All(originals, s => Assert.Equal(HttpStatusCode.Accepted, s.Status));
        Assert.All(repeats, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(repeats, r => Assert.DoesNotContain("registrationId", r.Body));

        var sockets = await Task.WhenAll(originals.Select(s => graph.Frontend.ConnectAsync(s.StatusUrl, cancel.Token)));
        var firstSeen = new ConcurrentDictionary<string, bool>();
        var watching = sockets.Select((socket, i) => socket.ReadUntilClosedAsync(cancel.Token,
            _ => firstSeen.TryAdd(originals[i].RegistrationId, true))).ToArray();
        await Eventually.HoldsAsync(() => firstSeen.Count == 60, TimeSpan.FromSeconds(20), "every client got its current status on connect");

        await graph.StartAgainAsync("notifier", cancel.Token);
        var watches = await Task.WhenAll(watching);

        foreach (var (watch, signUp) in watches.Zip(originals))
        {
            var statuses = watch.Statuses;
            Assert.Equal("Queued", statuses[0]);
            if (statuses[^1] == "CodeIssued")
            {
                Assert.Equal(["checking-eligibility", "generating-code", "sending-email"],
                    watch.Messages.Where(m => m.GetProperty("status").GetString() == "Processing").Select(m => m.GetProperty("step").GetString()).Distinct());
            }
            else
            {
                Assert.DoesNotContain("Processing", statuses); // Sold out is said at once, without steps.
            }

            Assert.Contains(statuses[^1], PromoClient.FinalStatuses);
            Assert.Single(statuses, PromoClient.FinalStatuses.Contains);
            var stage = statuses.Select(s => s switch { "Queued" => 0, "Processing" => 1, _ => 2 }).ToList();
            Assert.True(stage.SequenceEqual(stage.Order()), $"{signUp.RegistrationId} saw {string.Join(" → ", statuses)}");
            Assert.Equal(WebSocketCloseStatus.NormalClosure, watch.CloseStatus);
        }

        var rows = await PromoInvariants.AllFinalAsync(graph, TimeSpan.FromSeconds(90));
        Assert.Equal(60, rows.Count);
        Assert.Equal(10, rows.Count(r => r.Status == "CodeIssued"));
        PromoInvariants.AssertHold(graph, totalCodes: 10);

        var lowestTen = originals.OrderBy(s => s.Sequence).Take(10).Select(s => s.RegistrationId).ToHashSet();
        Assert.All(watches.Zip(originals), pair => Assert.Equal(
            lowestTen.Contains(pair.Second.RegistrationId) ? "CodeIssued" : "SoldOut", pair.First.Statuses[^1]));

        foreach (var socket in sockets)
        {
            socket.Dispose();
        }

        // By mail: each winner gets its own code and no other, each code in one mail only; the others a sold-out
        // note; each address that signed up again the link to its status. The inbox is this graph's alone.
        var codes = rows.Where(r => r.Code is not null).ToDictionary(r => r.Email, r => r.Code!);
        var inbox = await graph.Mailbox.WaitForAsync(all => all.Count >= 60 + 20, TimeSpan.FromSeconds(90), "a mail per sign-up and per repeat");
        var byKind = inbox.GroupBy(m => m.MessageId!.Split('.')[0]).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(10, byKind["promo-code"].Count);
        Assert.Equal(50, byKind["promo-sold-out"].Count);
        Assert.Equal(20, byKind["promo-link"].Count);
        Assert.Equal(inbox.Count, inbox.Select(m => m.MessageId).Distinct().Count());
        foreach (var mail in inbox)
        {
            var to = Assert.Single(mail.To.Mailboxes).Address;
            var codesInMail = codes.Values.Where(code => mail.TextBody!.Contains(code, StringComparison.Ordinal)).ToList();
            Assert.Equal(codes.TryGetValue(to, out var own) && mail.MessageId!.StartsWith("promo-code.", StringComparison.Ordinal) ? [own] : [], codesInMail);
        }
    }
}
