using System.Diagnostics;

namespace EventBooking.Tests.Platform;

/// <summary>A service as a bare process whose console goes into a pipe nobody reads (a stalled log collector).</summary>
public sealed class UnreadConsoleTests
{
    [Fact]
    public async Task A_service_whose_console_nobody_reads_goes_on_answering()
    {
        // The site as built beside these tests (bin/<configuration>/net10.0 in both projects).
        var configuration = Path.GetFileName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)))!;
        var site = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/EventBooking.Frontend/bin", configuration,
            "net10.0/EventBooking.Frontend"));
        var address = $"http://127.0.0.1:{Ports.Free()}";
        var start = new ProcessStartInfo(site) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(site) };
        start.Environment["ASPNETCORE_URLS"] = address;
        // Every request logs a few lines at Trace: the pipe's 64 KB, then the logger's queue, fill within a few hundred.
        start.Environment["Logging__LogLevel__Default"] = "Trace";
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace";
        using var process = Process.Start(start)!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(10) };
            await Eventually.HoldsAsync(async () => await AnswersAsync(http), TimeSpan.FromSeconds(30), "the site started");
            for (var request = 0; request < 1_000; request++)
            {
                Assert.True(await AnswersAsync(http), $"request {request} was answered, with nobody reading the site's console");
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task<bool> AnswersAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync("/no-such-page");
            return true; // any answer: what matters is that one comes
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
