using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using EventBooking.Tests.Orders;
using EventBooking.Tests.Promo;

namespace EventBooking.Tests.Chaos;

public sealed record AckedOrder(string IdempotencyKey, string Email, string Reference);

/// <summary>
/// Sign-ups and orders from many clients at once, each retried (same email, same idempotency key) until it is
/// acknowledged, as a real client would after an error page. Records what was acknowledged and when.
/// </summary>
public sealed class ChaosBurst(HttpClient site, string tag, int signUps, int orders)
{
    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(90);
    private readonly ConcurrentBag<SignUp> _signUps = [];
    private readonly ConcurrentBag<AckedOrder> _orders = [];
    private readonly TaskCompletionSource _third = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _acknowledged;
    private int _failedAttempts;

    public IReadOnlyCollection<SignUp> SignUps => _signUps;

    public IReadOnlyCollection<AckedOrder> Orders => _orders;

    public int FailedAttempts => _failedAttempts;

    public string EmailPrefix => $"chaos-{tag}-";

    /// <summary>Done once a third of the requests are acknowledged: the moment to break something.</summary>
    public Task ThirdAcknowledged => _third.Task;

    public Task RunAsync(int clients)
    {
        var work = new ConcurrentQueue<int>(Enumerable.Range(0, signUps + orders).OrderBy(_ => Random.Shared.Next()));
        return Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (work.TryDequeue(out var item))
            {
                await (item < signUps ? SignUpAsync(item) : OrderAsync(item - signUps));
            }
        }));
    }

    /// <summary>Everything acknowledged is stored once, every sign-up is final (none Failed), and the promo invariants hold.</summary>
    public async Task AssertNothingLostAsync(GraphFixture graph, int totalCodes = 10)
    {
        // Every acknowledged sign-up is stored and decided; the whole promotion still keeps its promises.
        var rows = await PromoInvariants.AllFinalAsync(graph, TimeSpan.FromSeconds(180));
        var stored = rows.Where(r => r.Email.StartsWith(EmailPrefix, StringComparison.Ordinal)).ToDictionary(r => r.Email);
        Assert.Equal(signUps, SignUps.Select(s => s.Email).Distinct().Count());
        Assert.All(SignUps, s => Assert.True(stored.ContainsKey(s.Email), $"sign-up {s.Email} was acknowledged but is missing"));
        Assert.All(SignUps.Where(s => s.Status == HttpStatusCode.Accepted), s => Assert.Equal(s.RegistrationId, stored[s.Email].Id));
        Assert.Equal(signUps, stored.Count);
        PromoInvariants.AssertHold(graph, totalCodes);

        // Every acknowledged order is stored once: retries with the same key never made a second one.
        using var db = graph.OpenApiDatabase();
        var references = db.Rows("""SELECT "Reference" FROM "Orders" WHERE "EmailNormalized" LIKE @prefix || '%'""", row => row.GetString(0),
            ("prefix", EmailPrefix));
        Assert.Equal(orders, references.Count);
        Assert.Equal(orders, Orders.Select(o => o.IdempotencyKey).Distinct().Count());
        Assert.Subset(references.ToHashSet(), Orders.Select(o => o.Reference).ToHashSet());
    }

    private Task SignUpAsync(int index) => UntilAcknowledgedAsync(async () =>
    {
        var email = $"{EmailPrefix}{index}@example.com";
        using var response = await site.PostAsJsonAsync("/api/promo/registrations", new { email, name = "Chaos" });
        if (response.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.OK))
        {
            return false;
        }

        // 200 after an earlier attempt whose answer was lost: that attempt was stored, and the answer says only so.
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        _signUps.Add(response.StatusCode == HttpStatusCode.Accepted
            ? new SignUp(response.StatusCode, body.GetProperty("registrationId").GetString()!, body.GetProperty("sequence").GetInt64(),
                body.GetProperty("statusUrl").GetString()!, email)
            : new SignUp(response.StatusCode, string.Empty, 0, string.Empty, email));
        return true;
    });

    private Task OrderAsync(int index)
    {
        var key = $"{tag}-order-{index}";
        var order = OrderRequests.Valid($"{EmailPrefix}order-{index}@example.com");
        return UntilAcknowledgedAsync(async () =>
        {
            using var response = await site.PostAsync(order, key);
            if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
            {
                return false;
            }

            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            _orders.Add(new AckedOrder(key, order["email"]!.GetValue<string>(), body.GetProperty("reference").GetString()!));
            return true;
        });
    }

    private async Task UntilAcknowledgedAsync(Func<Task<bool>> attempt)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await attempt())
                {
                    if (Interlocked.Increment(ref _acknowledged) >= (signUps + orders) / 3)
                    {
                        _third.TrySetResult();
                    }

                    return;
                }
            }
            catch (HttpRequestException)
            {
                // The service is down (that is the point): retry like a client would.
            }
            catch (TaskCanceledException)
            {
                // A request timed out while the service was down: retry.
            }

            Interlocked.Increment(ref _failedAttempts);
            Assert.True(started.Elapsed < RetryFor, $"a request was not acknowledged within {RetryFor.TotalSeconds} s of retrying");
            await Task.Delay(250);
        }
    }
}
