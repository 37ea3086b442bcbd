namespace EventBooking.ServiceDefaults;

/// <summary>
/// A promo registration id is a bearer secret (it unlocks the code) and travels in URLs; telemetry keeps the
/// shape of those URLs but never the id.
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
            return string.Concat(pathOrUrl.AsSpan(0, secret), Redacted, end < 0 ? string.Empty : pathOrUrl.AsSpan(end));
        }

        return pathOrUrl;
    }
}
