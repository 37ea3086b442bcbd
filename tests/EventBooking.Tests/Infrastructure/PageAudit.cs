using Deque.AxeCore.Commons;
using Microsoft.Playwright;

namespace EventBooking.Tests.Infrastructure;

/// <summary>
/// Watches a page as a careful user would: console errors, script errors, failed or refused requests; and at each
/// <see cref="CheckAsync"/>, axe (WCAG 2.1 A and AA) and content wider than the window. Everything found is kept,
/// with the state it was found in, for one assertion at the end.
/// </summary>
public sealed class PageAudit
{
    // axe-core as Deque's package ships it, put into each page once and run directly: the package's RunAxe injected
    // it again and walked every result on each call, about 2 s a check against 0.1 s.
    private static readonly Lazy<string> AxeSource = new(() =>
    {
        using var stream = typeof(AxeRunOptions).Assembly.GetManifestResourceStream("Deque.AxeCore.Commons.Resources.axe.min.js")!;
        return new StreamReader(stream).ReadToEnd();
    });

    private const string RunAxe = """
        async () => JSON.stringify((await axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
          resultTypes: ['violations'],
        })).violations.map(v => ({ id: v.id, impact: v.impact ?? '', help: v.help, html: v.nodes[0]?.html ?? '' })))
        """;

    private sealed record Violation(string Id, string Impact, string Help, string Html);

    private readonly IPage _page;
    private readonly List<string> _problems = [];
    private readonly HashSet<(int Status, string Path)> _expected = [];
    private string _state = "loading";

    public PageAudit(IPage page)
    {
        _page = page;
        page.Console += (_, message) =>
        {
            // The browser also logs each 4xx answer to the console: one the test provoked is expected there too.
            if (message.Type == "error" && !_expected.Any(e => message.Text.Contains($"status of {e.Status}") && message.Location.Contains(e.Path)))
            {
                Add($"console error: {message.Text}");
            }
        };
        page.PageError += (_, error) => Add($"script error: {error}");
        page.RequestFailed += (_, request) =>
        {
            // A page leaving (navigation, reload) cancels what it still had in flight: not a failure.
            if (request.Failure is not "net::ERR_ABORTED")
            {
                Add($"request failed: {request.Method} {request.Url} {request.Failure}");
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && !_expected.Contains((response.Status, new Uri(response.Url).AbsolutePath)))
            {
                Add($"{response.Status} for {response.Request.Method} {response.Url}");
            }
        };
    }

    /// <summary>An answer the test provokes on purpose (e.g. a 400 for a wrong promo code) is not a problem of the page.</summary>
    public void Expect(int status, string path) => _expected.Add((status, path));

    /// <summary>The widths every state is checked at: a desktop and a phone.</summary>
    public static readonly int[] Widths = [1280, 375];

    /// <summary>Audits the page as it is now, under <paramref name="state"/>'s name, at each of <see cref="Widths"/>.</summary>
    public async Task CheckAsync(string state)
    {
        var height = _page.ViewportSize?.Height ?? 900;
        foreach (var width in Widths)
        {
            await _page.SetViewportSizeAsync(width, height);
            await CheckAtThisWidthAsync(state);
        }
    }

    private async Task CheckAtThisWidthAsync(string state)
    {
        _state = $"{state} at {_page.ViewportSize?.Width} px";
        if (!await _page.EvaluateAsync<bool>("() => typeof axe !== 'undefined'"))
        {
            await _page.EvaluateAsync(AxeSource.Value);
        }
        var violations = System.Text.Json.JsonSerializer.Deserialize<Violation[]>(
            await _page.EvaluateAsync<string>(RunAxe), System.Text.Json.JsonSerializerOptions.Web)!;
        foreach (var violation in violations)
        {
            Add($"axe {violation.Id} ({violation.Impact}): {violation.Help} — {violation.Html}");
        }

        var overflow = await _page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        if (overflow > 0)
        {
            var widest = await _page.EvaluateAsync<string>("""
                () => [...document.querySelectorAll('body *')]
                  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')).join(', ')
                """);
            Add($"content {overflow} px wider than the window: {widest}");
        }

        await _page.ScreenshotAsync(new()
        {
            Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{state}-{_page.ViewportSize?.Width}px.png"),
            FullPage = true,
        });
    }

    public void AssertClean() => Assert.True(_problems.Count == 0, string.Join(Environment.NewLine, _problems));

    private void Add(string problem)
    {
        lock (_problems)
        {
            _problems.Add($"[{_state}] {problem}");
        }
    }
}
