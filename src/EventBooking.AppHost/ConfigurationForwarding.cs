using Microsoft.Extensions.Configuration;

namespace EventBooking.AppHost;

public static class ConfigurationForwarding
{
    /// <summary>
    /// Passes whole sections of the app host's configuration (appsettings, command line, user secrets) to a
    /// service as environment variables, so limits can be tuned per run without touching the service:
    /// e.g. <c>./run.sh --RateLimits:Orders:PermitLimit=1000</c>.
    /// </summary>
    public static IResourceBuilder<T> WithConfigurationSections<T>(
        this IResourceBuilder<T> resource, IConfiguration configuration, params string[] sections)
        where T : IResourceWithEnvironment
    {
        foreach (var section in sections)
        {
            foreach (var (key, value) in configuration.GetSection(section).AsEnumerable())
            {
                if (value is not null)
                {
                    resource.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
                }
            }
        }

        return resource;
    }

    /// <summary>
    /// <c>EventBooking:ServiceEnvironment</c> (unset: the app host's own, Development under <c>./run.sh</c>) runs the
    /// services in another environment, e.g. Production for the benchmark: what a deployment runs, without the
    /// development-time work (the container's scope checks, static files re-read from disk and never cached).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceEnvironment(this IResourceBuilder<ProjectResource> service, IConfiguration configuration) =>
        configuration["EventBooking:ServiceEnvironment"] is { Length: > 0 } environment
            ? service.WithEnvironment("ASPNETCORE_ENVIRONMENT", environment).WithEnvironment("DOTNET_ENVIRONMENT", environment)
            : service;
}
