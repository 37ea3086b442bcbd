namespace EventBooking.ServiceDefaults;

/// <summary>
/// A promo registration id is a bearer secret (it follows a sign-up) and travels in URLs, as does the mailbox key
/// (it unlocks the code, in the query); telemetry keeps the shape of those URLs but never the id nor the query.
/// </summary>
public static class SecretUrls
{
    private static readonly string[] SecretAfter = ["/api/promo/registrations/", "/ws/promo/"];
    private const string Redacted = "{id}";

    public static string Redact(string pathOrUrl)
    {
        foreach (var prefix in SecretAfter)
        {
            var start = pathOrUrl.IndexOf(prefix, StringComparison.OrdinalIgnoreCase);
            if (start < 0)
            {
                continue;
            }

            var secret = start + prefix.Length;
            var end = pathOrUrl.IndexOfAny(['/', '?', '#'], secret);
            var rest = end < 0 ? string.Empty : pathOrUrl[end..];
            var query = rest.IndexOfAny(['?', '#']);
            return string.Concat(pathOrUrl.AsSpan(0, secret), Redacted, query < 0 ? rest : rest[..query]);
        }

        return pathOrUrl;
    }
}
