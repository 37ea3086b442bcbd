using System.Reflection;

namespace EventBooking.ApiService.Promo.Throwaway;

/// <summary>
/// Mail domains that hand out throwaway mailboxes (mailinator.com, yopmail.com, ...): a code sent there is anybody's.
/// The vendored list (scripts/refresh-throwaway-domains.sh) with its wildcard entries (every subdomain too), less the
/// hand-kept allow-list. Loaded once, at the first sign-up (about 120,000 names).
/// </summary>
public sealed class ThrowawayDomains
{
    private readonly HashSet<string> _listed;
    private readonly HashSet<string> _wildcards;
    private readonly HashSet<string> _allowed;

    public ThrowawayDomains(IEnumerable<string> listed, IEnumerable<string> wildcards, IEnumerable<string> allowed)
    {
        _listed = new HashSet<string>(listed, StringComparer.Ordinal);
        _wildcards = new HashSet<string>(wildcards, StringComparer.Ordinal);
        _allowed = new HashSet<string>(allowed, StringComparer.Ordinal);
    }

    /// <summary>The lists built into this service.</summary>
    public static ThrowawayDomains Vendored() =>
        new(Read("throwaway-domains.txt"), Read("throwaway-wildcard-domains.txt"), Read("allowed-domains.txt"));

    /// <summary>Whether <paramref name="domain"/> (lower case, ASCII form) gives out throwaway mailboxes.</summary>
    public bool IsThrowaway(string domain)
    {
        if (_allowed.Contains(domain))
        {
            return false;
        }

        if (_listed.Contains(domain))
        {
            return true;
        }

        for (var name = domain; ; name = name[(name.IndexOf('.', StringComparison.Ordinal) + 1)..])
        {
            if (_wildcards.Contains(name))
            {
                return true;
            }

            if (!name.Contains('.', StringComparison.Ordinal))
            {
                return false;
            }
        }
    }

    private static IEnumerable<string> Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"throwaway/{name}")
            ?? throw new InvalidOperationException($"The build did not embed throwaway/{name}.");
        using var reader = new StreamReader(stream);
        var domains = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                domains.Add(line.Trim().ToLowerInvariant());
            }
        }

        return domains;
    }
}
