using System.Collections.Concurrent;

namespace EventBooking.ApiService.Auth;

/// <summary>
/// Growing delays after wrong passwords, per address and per address + account, instead of locking the account:
/// a stranger failing from elsewhere can never keep the manager out, and a guesser slows down exponentially. While
/// a key waits, attempts are refused without looking at the password, with the same answer as a wrong one.
/// Kept in this process's memory: each API replica throttles on its own.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    /// <summary>Failures from one address for one account before the delays start, and for any account.</summary>
    public const int FreeFailuresPerAccount = 3;
    public const int FreeFailuresPerAddress = 20;
    public static readonly TimeSpan LongestDelay = TimeSpan.FromMinutes(15);

    private sealed record Failures(int Count, DateTimeOffset WaitUntil);

    private readonly ConcurrentDictionary<string, Failures> _failures = new();

    public bool MustWait(string address, string email)
    {
        var now = clock.GetUtcNow();
        return Waiting(Key(address, email), now) || Waiting(address, now);
    }

    public void Failed(string address, string email)
    {
        Count(Key(address, email), FreeFailuresPerAccount);
        Count(address, FreeFailuresPerAddress);
    }

    public void Succeeded(string address, string email) => _failures.TryRemove(Key(address, email), out _);

    private bool Waiting(string key, DateTimeOffset now) => _failures.TryGetValue(key, out var failures) && failures.WaitUntil > now;

    private void Count(string key, int free)
    {
        var now = clock.GetUtcNow();
        _failures.AddOrUpdate(key,
            _ => new Failures(1, now + DelayAfter(1, free)),
            (_, previous) => new Failures(previous.Count + 1, now + DelayAfter(previous.Count + 1, free)));
    }

    /// <summary>None for the first <paramref name="free"/> failures, then 1 s, 2 s, 4 s… up to <see cref="LongestDelay"/>.</summary>
    public static TimeSpan DelayAfter(int failures, int free) =>
        failures <= free ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures - free - 1), LongestDelay.TotalSeconds));

    private static string Key(string address, string email) => $"{address}|{EmailAddress.Normalize(email)}";
}
