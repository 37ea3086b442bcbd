using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace EventBooking.LoadTest;

/// <summary>
/// One of the site's pages as a browser loads it: the HTML, then the styles, icon, scripts and the modules and
/// workers they import, compressed, six at a time. A return visit from the same browser asks again only for what may
/// have changed (<c>If-None-Match</c>) and not at all for fingerprinted files, which are served as immutable.
/// </summary>
public sealed partial class SitePage
{
    private sealed record Asset(Uri Address, EntityTagHeaderValue? ETag, bool Immutable);

    private const int BrowserConnections = 6;

    private readonly Asset _html;
    private readonly IReadOnlyList<Asset> _files;

    private SitePage(Asset html, IReadOnlyList<Asset> files)
    {
        _html = html;
        _files = files;
    }

    /// <summary>What a first visit loads besides the HTML.</summary>
    public IEnumerable<Uri> Files => _files.Select(f => f.Address);

    /// <summary>Files served as immutable (fingerprinted, and the site in Production), which a return visit skips.</summary>
    public int Immutable => _files.Count(f => f.Immutable);

    /// <summary>What one visit asked for: files sent in full, and files the browser's copy was confirmed for (304).</summary>
    public sealed record Visited(int Sent, int NotModified);

    /// <summary>Finds what the page loads, once per run (every visitor's browser loads the same files).</summary>
    public static async Task<SitePage> DiscoverAsync(HttpClient http, string path)
    {
        var page = new Uri(http.BaseAddress!, path);
        var (html, text) = await FetchAsync(http, page);
        var files = new List<Asset>();
        var pending = new Queue<Uri>(References(HtmlReference(), text, page));
        while (pending.TryDequeue(out var address))
        {
            if (files.Any(f => f.Address == address))
            {
                continue;
            }

            var (file, content) = await FetchAsync(http, address);
            files.Add(file);
            if (address.AbsolutePath.EndsWith(".js", StringComparison.Ordinal))
            {
                foreach (var imported in References(ScriptReference(), content, address))
                {
                    pending.Enqueue(imported);
                }
            }
        }

        return new SitePage(html, files);
    }

    /// <summary>A browser that has never been here: everything, the files in parallel once the HTML is in.</summary>
    public async Task<Visited> FirstVisitAsync(HttpClient http) =>
        Count([await GetAsync(http, _html, revalidate: false), .. await GetAllAsync(http, _files, revalidate: false)]);

    /// <summary>The same browser again (e.g. the link in a mail): the HTML and what is not immutable, revalidated.</summary>
    public async Task<Visited> ReturnVisitAsync(HttpClient http) =>
        Count([await GetAsync(http, _html, revalidate: true), .. await GetAllAsync(http, [.. _files.Where(file => !file.Immutable)], revalidate: true)]);

    /// <summary>In parallel, at most six at a time, as a browser does over HTTP/1.1 with one site.</summary>
    private static async Task<HttpStatusCode[]> GetAllAsync(HttpClient http, IReadOnlyList<Asset> files, bool revalidate)
    {
        var answers = new HttpStatusCode[files.Count];
        await Parallel.ForAsync(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = BrowserConnections },
            async (i, _) => answers[i] = await GetAsync(http, files[i], revalidate));
        return answers;
    }

    private static Visited Count(HttpStatusCode[] answers) =>
        new(answers.Count(a => a != HttpStatusCode.NotModified), answers.Count(a => a == HttpStatusCode.NotModified));

    private static async Task<HttpStatusCode> GetAsync(HttpClient http, Asset asset, bool revalidate)
    {
        using var request = Request(asset.Address);
        if (revalidate && asset.ETag is { } etag)
        {
            request.Headers.IfNoneMatch.Add(etag);
        }

        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.NotModified)
        {
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
        }

        return response.StatusCode;
    }

    /// <summary>A file as a browser gets it (compressed: its ETag is the compressed copy's), and its text.</summary>
    private static async Task<(Asset Asset, string Text)> FetchAsync(HttpClient http, Uri address)
    {
        using var request = Request(address);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var immutable = response.Headers.CacheControl?.Extensions.Any(e => e.Name == "immutable") == true;
        var body = await response.Content.ReadAsStreamAsync();
        await using var decoded = response.Content.Headers.ContentEncoding.LastOrDefault() switch
        {
            "gzip" => new GZipStream(body, CompressionMode.Decompress),
            "br" => new BrotliStream(body, CompressionMode.Decompress),
            "deflate" => new ZLibStream(body, CompressionMode.Decompress),
            null => body,
            var other => throw new InvalidOperationException($"{address} came {other}-encoded, which a browser would not have asked for."),
        };
        using var reader = new StreamReader(decoded);
        var text = await reader.ReadToEndAsync();
        // A site that sends empty files or names unresolved ones is not the page a person would see: no figures for it.
        if (text.Length == 0 || text.Contains("#[.{fingerprint}]", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The site sent {address} empty or with a placeholder for a file name: it does not serve its files as built.");
        }

        return (new Asset(address, response.Headers.ETag, immutable), text);
    }

    private static HttpRequestMessage Request(Uri address)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, address);
        request.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br");
        return request;
    }

    /// <summary>Same-site addresses that <paramref name="text"/> names, resolved against where it came from.</summary>
    private static IEnumerable<Uri> References(Regex pattern, string text, Uri from) =>
        pattern.Matches(text)
            .Select(match => new Uri(from, match.Groups["url"].Value))
            .Where(address => address.Authority == from.Authority);

    /// <summary>Styles, icons and scripts (not links to other pages).</summary>
    [GeneratedRegex("""<(?:link|script)\b[^>]*?\b(?:href|src)="(?<url>[^"#]+)""")]
    private static partial Regex HtmlReference();

    /// <summary>Static imports (<c>import … from '…'</c>, <c>import '…'</c>), dynamic imports and workers.</summary>
    [GeneratedRegex("""(?:\bfrom\s*|\bimport\s*\(?\s*|\bnew Worker\(\s*)['"](?<url>[^'"]+\.js)['"]""")]
    private static partial Regex ScriptReference();
}
