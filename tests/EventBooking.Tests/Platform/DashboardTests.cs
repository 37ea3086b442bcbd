using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EventBooking.Tests.Platform;

/// <summary>
/// The app host's dashboard as ./run.sh starts it (its launch profile), on ports of its own and with no resource to
/// watch: it shows environments and logs, so it answers nobody who has not signed in with the browser token.
/// </summary>
public sealed class DashboardTests
{
    private static readonly string LaunchSettings =
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/EventBooking.AppHost/Properties/launchSettings.json"));

    [Fact]
    public async Task The_dashboard_answers_no_page_without_its_browser_token_and_every_page_with_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        // The launch profile ./run.sh starts the app host with (the test builder does not read it), but on ports of its own.
        var profile = JsonNode.Parse(await File.ReadAllTextAsync(LaunchSettings, timeout.Token))!["profiles"]!["http"]!["environmentVariables"]!.AsObject();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.EventBooking_AppHost>(
            [
                "--EventBooking:UseTemporaryData=true", $"--Parameters:manager-password={GraphFixture.ManagerPassword}",
                .. profile.Where(p => !p.Key.EndsWith("_URL", StringComparison.Ordinal)).Select(p => $"--{p.Key}={p.Value}"),
            ],
            (options, _) => options.DisableDashboard = false,
            timeout.Token);
        foreach (var resource in builder.Resources.Where(r => r.Name != "aspire-dashboard").ToList())
        {
            builder.Resources.Remove(resource);
        }

        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        var token = app.Services.GetRequiredService<IConfiguration>()["AppHost:BrowserToken"];
        var dashboard = app.GetEndpoint("aspire-dashboard", "http");
        Assert.False(string.IsNullOrEmpty(token), "the app host made a browser token");

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }) { BaseAddress = dashboard };
        var stranger = await Eventually.SucceedsAsync(async () => await browser.GetAsync("/", timeout.Token), TimeSpan.FromSeconds(60), "the dashboard answers");
        Assert.Equal(HttpStatusCode.Redirect, stranger.StatusCode);
        Assert.StartsWith("/login", stranger.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        foreach (var page in new[] { "/structuredlogs", "/consolelogs", "/traces" })
        {
            using var refused = await browser.GetAsync(page, timeout.Token);
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        }

        using (var signIn = await browser.GetAsync($"/login?t={token}", timeout.Token))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        using var signedIn = await browser.GetAsync("/", timeout.Token);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
    }
}
