namespace EventBooking.Tests.Platform;

/// <summary>The app host's model as it declares it, neither built nor started.</summary>
public sealed class AppHostModelTests
{
    [Fact]
    public async Task The_manager_email_comes_from_configuration_and_defaults_to_the_documented_address()
    {
        Assert.Equal("manager@eventbooking.local", await ManagerEmailAsync([]));
        Assert.Equal("boss@example.com", await ManagerEmailAsync(["--Parameters:manager-email=boss@example.com"]));
    }

    /// <summary>The value of the manager-email parameter (which the API gets as Admin__ManagerEmail).</summary>
    private static async Task<string?> ManagerEmailAsync(string[] arguments)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.EventBooking_AppHost>(
            ["--EventBooking:UseTemporaryData=true", $"--Parameters:manager-password={GraphFixture.ManagerPassword}", .. arguments], timeout.Token);
        // The model as the app host declared it: building (and so disposing) an app is not needed to read it.
        var parameter = builder.Resources.OfType<ParameterResource>().Single(r => r.Name == "manager-email");
        return await parameter.GetValueAsync(timeout.Token);
    }
}
