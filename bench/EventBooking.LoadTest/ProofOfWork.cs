using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace EventBooking.LoadTest;

/// <summary>
/// The sign-up's proof of work as the page's widget does it (ALTCHA, SHA-256): fetch a challenge from the API, find
/// the number, answer with base64 JSON. Solving is the client's CPU, never the product's: the time spent is tallied
/// so the report can give it apart.
/// </summary>
public static class ProofOfWork
{
    private static long _solvingTicks;
    private static int _solved;

    /// <summary>Challenges solved and the client CPU they took, since the last <see cref="TakeTally"/>.</summary>
    public static (int Solved, TimeSpan Cpu) TakeTally() =>
        (Interlocked.Exchange(ref _solved, 0), TimeSpan.FromTicks(Interlocked.Exchange(ref _solvingTicks, 0)));

    /// <summary>A new challenge, solved: the value of the form's <c>altcha</c> field.</summary>
    public static async Task<string> SolveAsync(HttpClient site, CancellationToken cancellationToken = default)
    {
        var challenge = (await site.GetFromJsonAsync<JsonObject>("/api/promo/challenge", cancellationToken))!;
        var salt = challenge["salt"]!.GetValue<string>();
        var target = Convert.FromHexString(challenge["challenge"]!.GetValue<string>());
        var started = Stopwatch.GetTimestamp();
        var number = Solve(Encoding.UTF8.GetBytes(salt), target, challenge["maxNumber"]!.GetValue<int>());
        Interlocked.Add(ref _solvingTicks, Stopwatch.GetElapsedTime(started).Ticks);
        Interlocked.Increment(ref _solved);
        var answer = new JsonObject
        {
            ["algorithm"] = "SHA-256",
            ["challenge"] = challenge["challenge"]!.GetValue<string>(),
            ["number"] = number,
            ["salt"] = salt,
            ["signature"] = challenge["signature"]!.GetValue<string>(),
        };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(answer.ToJsonString()));
    }

    /// <summary>The number whose SHA-256 after the salt is the target, as a native solver finds it (no allocation per try).</summary>
    private static int Solve(byte[] salt, byte[] target, int max)
    {
        Span<byte> input = stackalloc byte[salt.Length + 11];
        Span<byte> hash = stackalloc byte[32];
        salt.CopyTo(input);
        for (var n = 0; n <= max; n++)
        {
            n.TryFormat(input[salt.Length..], out var digits, provider: System.Globalization.CultureInfo.InvariantCulture);
            SHA256.HashData(input[..(salt.Length + digits)], hash);
            if (hash.SequenceEqual(target))
            {
                return n;
            }
        }

        throw new InvalidOperationException("The challenge has no answer in its range.");
    }
}
