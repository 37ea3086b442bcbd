using EventBooking.LoadTest;

namespace EventBooking.Tests.Performance;

/// <summary>The load test's command line: what it accepts, and what it refuses with a reason.</summary>
public sealed class LoadTestOptionsTests
{
    [Fact]
    public async Task A_running_site_and_the_dev_inbox_are_given_as_addresses_and_the_gates_default_to_on()
    {
        var options = await ParseAsync("promo-burst", "--url", "http://localhost:8080", "--inbox", "http://localhost:9025");

        Assert.Equal(new Uri("http://localhost:8080"), options!.Url);
        Assert.Equal(new Uri("http://localhost:9025"), options.Inbox);
        Assert.True(options.Gates);
        Assert.False(options.MailSink);
        Assert.False((await ParseAsync("promo-burst", "--gates", "off", "--mail-sink"))!.Gates);
    }

    [Theory]
    [InlineData("--url", "localhost:8080")]
    [InlineData("--gates", "maybe")]
    public async Task A_value_it_cannot_use_is_refused_before_anything_runs(string option, string value) =>
        Assert.Null(await ParseAsync("promo-burst", option, value));

    [Fact]
    public async Task The_mail_sink_and_the_gates_are_refused_for_a_site_this_run_does_not_start() =>
        Assert.Null(await ParseAsync("promo-burst", "--url", "http://localhost:8080", "--mail-sink"));

    /// <summary>The options the run would get, or null when the command line was refused.</summary>
    private static async Task<LoadTestOptions?> ParseAsync(params string[] arguments)
    {
        LoadTestOptions? parsed = null;
        var exitCode = await LoadTestOptions.Command((options, _) => { parsed = options; return Task.FromResult(0); })
            .Parse(arguments).InvokeAsync(new System.CommandLine.InvocationConfiguration { Error = TextWriter.Null, Output = TextWriter.Null });
        return exitCode == 0 ? parsed : null;
    }
}
