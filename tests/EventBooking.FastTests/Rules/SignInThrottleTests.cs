using EventBooking.ApiService.Auth;
using Microsoft.Extensions.Time.Testing;

namespace EventBooking.FastTests.Rules;

public sealed class SignInThrottleTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void After_three_wrong_passwords_each_further_attempt_waits_twice_as_long()
    {
        var throttle = new SignInThrottle(_clock);
        for (var i = 0; i < SignInThrottle.FreeFailuresPerAccount; i++)
        {
            Assert.False(throttle.MustWait("203.0.113.1", "manager@example.com"));
            throttle.Failed("203.0.113.1", "manager@example.com");
        }

        Assert.False(throttle.MustWait("203.0.113.1", "manager@example.com"));
        throttle.Failed("203.0.113.1", "manager@example.com");
        Assert.True(throttle.MustWait("203.0.113.1", "MANAGER@example.com "));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(throttle.MustWait("203.0.113.1", "manager@example.com"));
        throttle.Failed("203.0.113.1", "manager@example.com");
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(throttle.MustWait("203.0.113.1", "manager@example.com"));
    }

    [Fact]
    public void A_stranger_failing_elsewhere_never_delays_the_manager()
    {
        var throttle = new SignInThrottle(_clock);
        for (var i = 0; i < 100; i++)
        {
            throttle.Failed($"198.51.100.{i % 50}", "manager@example.com");
        }

        Assert.False(throttle.MustWait("192.0.2.7", "manager@example.com"));
    }

    [Theory]
    [InlineData(3, 0)]
    [InlineData(4, 1)]
    [InlineData(5, 2)]
    [InlineData(8, 16)]
    [InlineData(40, 900)]
    public void The_delay_grows_from_one_second_to_fifteen_minutes(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), SignInThrottle.DelayAfter(failures, SignInThrottle.FreeFailuresPerAccount));
}
