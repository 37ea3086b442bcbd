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
        Assert.Null(options.Codes);
        Assert.False((await ParseAsync("promo-burst", "--gates", "off", "--mail-sink"))!.Gates);
        Assert.Equal(100_000, (await ParseAsync("promo-burst", "--codes", "100000"))!.Codes);
    }

    [Theory]
    [InlineData("--url", "localhost:8080")]
    [InlineData("--gates", "maybe")]
    [InlineData("--codes", "0")]
    public async Task A_value_it_cannot_use_is_refused_before_anything_runs(string option, string value) =>
        Assert.Null(await ParseAsync("promo-burst", option, value));

    [Theory]
    [InlineData("--mail-sink")]
    [InlineData("--gates", "off")]
    [InlineData("--codes", "100")]
    public async Task What_sets_up_the_stack_is_refused_for_a_site_this_run_does_not_start(params string[] setup) =>
        Assert.Null(await ParseAsync(["promo-burst", "--url", "http://localhost:8080", .. setup]));

    /// <summary>The options the run would get, or null when the command line was refused.</summary>
    private static async Task<LoadTestOptions?> ParseAsync(params string[] arguments)
    {
        LoadTestOptions? parsed = null;
        var exitCode = await LoadTestOptions.Command((options, _) => { parsed = options; return Task.FromResult(0); })
            .Parse(arguments).InvokeAsync(new System.CommandLine.InvocationConfiguration { Error = TextWriter.Null, Output = TextWriter.Null });
        return exitCode == 0 ? parsed : null;
    }
}
