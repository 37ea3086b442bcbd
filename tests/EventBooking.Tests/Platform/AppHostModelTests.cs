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

    [Fact]
    public async Task The_services_run_in_the_environment_the_service_environment_setting_names()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.EventBooking_AppHost>(
            ["--EventBooking:UseTemporaryData=true", $"--Parameters:manager-password={GraphFixture.ManagerPassword}",
                "--EventBooking:ServiceEnvironment=Production"], timeout.Token);

        var services = builder.Resources.OfType<ProjectResource>().ToList();
        Assert.Equal(["api", "notifier", "frontend"], services.Select(s => s.Name));
        foreach (var service in services)
        {
            // The environment as the resource's callbacks write it, in order (a later value replaces an earlier one).
            var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), service, [], timeout.Token);
            foreach (var callback in service.Annotations.OfType<EnvironmentCallbackAnnotation>())
            {
                await callback.Callback(context);
            }

            Assert.Equal("Production", context.EnvironmentVariables["ASPNETCORE_ENVIRONMENT"]);
            Assert.Equal("Production", context.EnvironmentVariables["DOTNET_ENVIRONMENT"]);
        }
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
