using Microsoft.Playwright;

namespace EventBooking.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright, as a person would use the site. Playwright's own browser download is
/// never used: test.sh installs the distribution package. One browser for the whole graph collection, launched when
/// the first page is asked for (a run without browser tests never starts it); each page gets a context of its own,
/// closed when its test ends (<see cref="BrowserTests"/>).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private readonly SemaphoreSlim _launching = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private readonly List<IBrowserContext> _open = [];

    public static string ScreenshotDirectory { get; } =
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task<IBrowser> BrowserAsync()
    {
        await _launching.WaitAsync();
        try
        {
            return _browser ??= await LaunchAsync();
        }
        finally
        {
            _launching.Release();
        }
    }

    private async Task<IBrowser> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run ./test.sh, which installs Debian's chromium.");
        }

        // Playwright's 5 s default is shorter than a live result takes on a slow, busy CI machine.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        return await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync"],
        });
    }

    public async Task<IPage> NewPageAsync(Uri baseAddress, int width = 1280, int height = 900)
    {
        var context = await (await BrowserAsync()).NewContextAsync(new()
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new() { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        lock (_open)
        {
            _open.Add(context);
        }

        return await context.NewPageAsync();
    }

    /// <summary>
    /// Closes every page opened so far. A page left open keeps its socket, its counter's refresh and its spinner going
    /// for the rest of the run, at the cost of the browser's, the site's and the API's CPU.
    /// </summary>
    public async Task ClosePagesAsync()
    {
        IBrowserContext[] open;
        lock (_open)
        {
            open = [.. _open];
            _open.Clear();
        }

        foreach (var context in open)
        {
            await context.CloseAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _launching.Dispose();
    }
}
