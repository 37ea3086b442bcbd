namespace EventBooking.ServiceDefaults;

/// <summary>Limits the site's proxy and the API must agree on.</summary>
public static class HttpLimits
{
    /// <summary>
    /// The largest request body the API takes (an order). The site's proxy refuses anything bigger before forwarding
    /// it, so the browser hears 413 rather than a proxy error when the API refuses in mid-upload.
    /// </summary>
    public const int MaxRequestBodyBytes = 64 * 1024;
}
