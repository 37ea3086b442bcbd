using System.Collections.Frozen;
using System.Globalization;

namespace EventBooking;

/// <summary>
/// Which mailbox an address reaches, to compare sign-ups ("one person, one place"): spellings a provider delivers to
/// one mailbox (dots and sub-address tags where the provider ignores them, its other domain names) are one identity.
/// Only for comparing: mail always goes to the address as typed.
/// </summary>
public static class MailboxIdentity
{
    /// <param name="Domain">The provider's one domain name for the mailbox.</param>
    /// <param name="IgnoresDots">Gmail delivers <c>a.da@</c> to <c>ada@</c>.</param>
    /// <param name="TagSeparator">What starts a sub-address tag the provider delivers to the base mailbox.</param>
    private sealed record Provider(string Domain, bool IgnoresDots, char? TagSeparator);

    private static readonly Provider Gmail = new("gmail.com", IgnoresDots: true, TagSeparator: '+');
    private static readonly Provider Microsoft = new("outlook.com", IgnoresDots: false, TagSeparator: '+');
    private static readonly Provider Apple = new("icloud.com", IgnoresDots: false, TagSeparator: '+');
    private static readonly Provider Proton = new("proton.me", IgnoresDots: false, TagSeparator: '+');
    private static readonly Provider Yandex = new("yandex.ru", IgnoresDots: false, TagSeparator: '+');

    // Yahoo's "disposable addresses" are basename-keyword@yahoo.com, all to one mailbox; basename@yahoo.com itself
    // may be somebody else's account, so the keyword is dropped but the hyphen kept: every basename-* is one
    // identity, apart from basename@. Outlook.com, Hotmail and Live are one system but separate mailboxes per domain
    // name, so they keep their domains; so do the Yahoo country domains.
    private static readonly FrozenDictionary<string, Provider> Providers = new Dictionary<string, Provider>
    {
        ["gmail.com"] = Gmail,
        ["googlemail.com"] = Gmail,
        ["outlook.com"] = Microsoft,
        ["hotmail.com"] = Microsoft with { Domain = "hotmail.com" },
        ["hotmail.co.uk"] = Microsoft with { Domain = "hotmail.co.uk" },
        ["hotmail.fr"] = Microsoft with { Domain = "hotmail.fr" },
        ["live.com"] = Microsoft with { Domain = "live.com" },
        ["msn.com"] = Microsoft with { Domain = "msn.com" },
        ["icloud.com"] = Apple,
        ["me.com"] = Apple,
        ["mac.com"] = Apple,
        ["fastmail.com"] = new("fastmail.com", IgnoresDots: false, TagSeparator: '+'),
        ["fastmail.fm"] = new("fastmail.fm", IgnoresDots: false, TagSeparator: '+'),
        ["proton.me"] = Proton,
        ["protonmail.com"] = Proton,
        ["protonmail.ch"] = Proton,
        ["pm.me"] = Proton,
        ["zoho.com"] = new("zoho.com", IgnoresDots: false, TagSeparator: '+'),
        ["yandex.ru"] = Yandex,
        ["yandex.com"] = Yandex,
        ["ya.ru"] = Yandex,
        ["yahoo.com"] = new("yahoo.com", IgnoresDots: false, TagSeparator: '-'),
        ["yahoo.co.uk"] = new("yahoo.co.uk", IgnoresDots: false, TagSeparator: '-'),
        ["yahoo.fr"] = new("yahoo.fr", IgnoresDots: false, TagSeparator: '-'),
        ["ymail.com"] = new("ymail.com", IgnoresDots: false, TagSeparator: '-'),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Mail providers anyone can get an address at: many people share each of these domains, so the per-domain cap
    // does not apply to them (a domain of one's own is not a crowd; gmail.com is).
    private static readonly FrozenSet<string> PublicDomains = Providers.Keys.Concat(
    [
        "aol.com", "gmx.com", "gmx.net", "gmx.de", "web.de", "mail.com", "mail.ru", "inbox.ru", "list.ru", "bk.ru",
        "tutanota.com", "tuta.io", "hey.com", "qq.com", "163.com", "126.com", "naver.com", "daum.net", "orange.fr",
        "free.fr", "laposte.net", "sfr.fr", "wanadoo.fr", "t-online.de", "freenet.de", "libero.it", "virgilio.it",
        "btinternet.com", "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bigpond.com", "rediffmail.com",
        "seznam.cz", "wp.pl", "o2.pl", "interia.pl", "ukr.net", "rambler.ru", "live.co.uk", "live.fr", "outlook.fr",
        "hotmail.de", "hotmail.it", "hotmail.es", "yahoo.de", "yahoo.it", "yahoo.es", "yahoo.co.jp", "yahoo.com.br",
        "uol.com.br", "bol.com.br", "terra.com.br", "shaw.ca", "rogers.com", "sky.com", "virginmedia.com",
    ]).ToFrozenSet(StringComparer.Ordinal);

    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    /// <summary>The mailbox <paramref name="email"/> (an address <see cref="EmailAddress"/> accepted) reaches.</summary>
    public static string Of(string email)
    {
        var address = EmailAddress.Normalize(email);
        var at = address.LastIndexOf('@');
        if (at < 0)
        {
            return address; // not an address (never accepted): compared as it is
        }

        var local = address[..at];
        var domain = Domain(address[(at + 1)..]);
        if (Providers.TryGetValue(domain, out var provider))
        {
            domain = provider.Domain;
            if (provider.TagSeparator is { } separator && local.IndexOf(separator, StringComparison.Ordinal) is > 0 and var tag)
            {
                local = separator == '-' ? local[..(tag + 1)] : local[..tag];
            }

            if (provider.IgnoresDots)
            {
                local = local.Replace(".", "", StringComparison.Ordinal);
            }
        }

        return $"{local}@{domain}";
    }

    /// <summary>The domain of an identity <see cref="Of"/> gave.</summary>
    public static string DomainOf(string identity) => identity[(identity.LastIndexOf('@') + 1)..];

    /// <summary>Whether anyone can get an address at <paramref name="domain"/> (a domain in its one form).</summary>
    public static bool IsPublicProvider(string domain) => PublicDomains.Contains(domain);

    /// <summary>One form of a domain: internationalised names in their ASCII (punycode) form, lower case.</summary>
    private static string Domain(string domain)
    {
        try
        {
            return Idn.GetAscii(domain).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return domain; // not a name IDNA can map: compared as typed (lower case)
        }
    }
}
