using System.Collections.Concurrent;
using System.Net.WebSockets;
using MimeKit;

namespace EventBooking.Tests.Promo;

/// <summary>
/// 60 sign-ups and 20 repeats on a promotion with codes left, every client watching before any is decided: the codes
/// left go to the earliest, each winner's watcher sees each step, the rest hear sold out at once, one mail each. Run
/// first on the chaos graph (default shape, a promotion nobody has touched) and first in the scale-out tests (watchers
/// spread over the API replicas; a sign-up or two of the flows before it may have taken a code).
/// </summary>
public static class FreshPromotionBurst
{
    private const int TotalCodes = 10;

    public static async Task RunAsync(GraphFixture graph)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var before = PromoInvariants.Registrations(graph);
        var codesLeft = TotalCodes - before.Count(r => r.Status == "CodeIssued");
        Assert.True(codesLeft >= 5 && before.All(r => PromoClient.FinalStatuses.Contains(r.Status)),
            $"The burst needs a promotion with codes left and nothing pending, found {codesLeft} codes left and {before.Count} sign-ups: run it first on its graph.");
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
                Assert.DoesNotContain("Processing", statuses); // Sold out is said at once, without steps,
                Assert.Equal(0, watch.Messages[^1].GetProperty("codesLeft").GetInt32()); // and with the count, so the page asks for none.
            }

            Assert.Contains(statuses[^1], PromoClient.FinalStatuses);
            Assert.Single(statuses, PromoClient.FinalStatuses.Contains);
            var stage = statuses.Select(s => s switch { "Queued" => 0, "Processing" => 1, _ => 2 }).ToList();
            Assert.True(stage.SequenceEqual(stage.Order()), $"{signUp.RegistrationId} saw {string.Join(" → ", statuses)}");
            Assert.Equal(WebSocketCloseStatus.NormalClosure, watch.CloseStatus);
        }

        var burst = emails.ToHashSet(StringComparer.Ordinal);
        var rows = (await PromoInvariants.AllFinalAsync(graph, TimeSpan.FromSeconds(90))).Where(r => burst.Contains(r.Email)).ToList();
        Assert.Equal(60, rows.Count);
        Assert.Equal(codesLeft, rows.Count(r => r.Status == "CodeIssued"));
        PromoInvariants.AssertHold(graph, TotalCodes);

        var earliest = originals.OrderBy(s => s.Sequence).Take(codesLeft).Select(s => s.RegistrationId).ToHashSet();
        Assert.All(watches.Zip(originals), pair => Assert.Equal(
            earliest.Contains(pair.Second.RegistrationId) ? "CodeIssued" : "SoldOut", pair.First.Statuses[^1]));

        foreach (var socket in sockets)
        {
            socket.Dispose();
        }

        // By mail: each winner gets its own code and no other, each code in one mail only; the others a sold-out
        // note; each address that signed up again the link to its status.
        var codes = rows.Where(r => r.Code is not null).ToDictionary(r => r.Email, r => r.Code!);
        List<MimeMessage> ToBurst(List<MimeMessage> all) => all.Where(m => m.To.Mailboxes.Any(to => burst.Contains(to.Address))).ToList();
        var inbox = ToBurst(await graph.Mailbox.WaitForAsync(all => ToBurst(all).Count >= 60 + 20, TimeSpan.FromSeconds(90), "a mail per sign-up and per repeat"));
        var byKind = inbox.GroupBy(m => m.MessageId!.Split('.')[0]).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(codesLeft, byKind["promo-code"].Count);
        Assert.Equal(60 - codesLeft, byKind["promo-sold-out"].Count);
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
