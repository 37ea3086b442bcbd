using System.Collections.Concurrent;

namespace EventBooking.LoadTest;

/// <summary>
/// The promo page, many times over: each accepted sign-up is followed, from its page (and, with confirmation on, the
/// page opened from its mail), to the final status. Counts the sockets that connected and the follows that broke.
/// </summary>
public sealed class PromoWatchers(PromoPage page)
{
    /// <summary>However long the site is slow, a person who never hears back is an error, not a hang of the run.</summary>
    private static readonly TimeSpan FollowTimeout = TimeSpan.FromMinutes(10);

    private readonly ConcurrentBag<Task> _watching = [];
    private int _connected;
    private int _errors;

    public ConcurrentBag<PromoOutcome> Outcomes { get; } = [];

    /// <summary>Sign-ups accepted (202) and followed.</summary>
    public int Accepted => _watching.Count;

    /// <summary>Sockets that received their first status.</summary>
    public int Connected => Volatile.Read(ref _connected);

    /// <summary>The sockets the accepted sign-ups hold while they wait (two each with confirmation on).</summary>
    public int SocketsExpected => Accepted * page.SocketsPerPerson;

    /// <summary>Follows that failed before a final status.</summary>
    public int Errors => Volatile.Read(ref _errors);

    /// <summary>A person arriving at the page (untimed: see <see cref="LatencyRecorder"/>).</summary>
    public Task<PromoPage.Visit> ArriveAsync() => page.ArriveAsync();

    /// <summary>Signs up; if accepted, starts following. False when the sign-up was not accepted.</summary>
    public async Task<bool> SignUpAsync(PromoPage.Visit visit, string email, string name)
    {
        if (await page.SignUpAsync(visit, email, name) is not { } signUp)
        {
            return false;
        }

        _watching.Add(FollowAsync(signUp));
        return true;
    }

    public Task AllFinalAsync() => Task.WhenAll(_watching);

    public IReadOnlyList<Check> Invariants(int codesLeftBefore) => PromoClient.Invariants(Outcomes, Accepted, codesLeftBefore);

    public double[] SortedPushMilliseconds() => Outcomes.Select(o => o.PushMilliseconds).Order().ToArray();

    private async Task FollowAsync(PromoPage.SignUp signUp)
    {
        using var timeout = new CancellationTokenSource(FollowTimeout);
        var step = new PromoPage.Step();
        try
        {
            Outcomes.Add(await page.FollowAsync(signUp, () => Interlocked.Increment(ref _connected), step, timeout.Token));
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or InvalidOperationException or HttpRequestException or OperationCanceledException)
        {
            // Never the registration id or the token: they are the person's secrets, even in a load test's output.
            Console.Error.WriteLine($"  a sign-up broke off while {step.Doing}: {ex.GetType().Name}: {ex.Message}");
            Interlocked.Increment(ref _errors);
        }
    }
}
