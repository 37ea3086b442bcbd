namespace EventBooking.Tests.Infrastructure;

/// <summary>
/// A test class whose tests open pages: each test's pages are closed when it ends, so no page goes on costing the
/// rest of the run (tests in a collection run one after another, so these are only the ending test's pages).
/// </summary>
public abstract class BrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    protected BrowserFixture Browser => browser;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => browser.ClosePagesAsync();
}
