using EventBooking.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every EventBooking process shares: telemetry, health endpoints, service discovery and HTTP resilience.
/// </summary>
public static class Extensions
{
    /// <summary>Prefix of every ActivitySource and Meter the EventBooking services create.</summary>
    public const string TelemetryPrefix = "EventBooking";

    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";
    private const string LiveTag = "live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        // A console nobody reads fast enough (an orchestrator or a journal under load) must not stop the service: by
        // default a full log queue blocks every thread that logs (a restarted API in a test run answered and logged
        // nothing for minutes, as that would). Lines are dropped instead, and the console says how many.
        builder.Services.Configure<ConsoleLoggerOptions>(options => options.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite);

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter($"{TelemetryPrefix}.*"))
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(TraceBudget.PerSecond(
                    builder.Configuration.GetValue(TraceBudget.TracesPerSecondKey, TraceBudget.DefaultTracesPerSecond))))
                .AddSource(builder.Environment.ApplicationName)
                .AddSource($"{TelemetryPrefix}.*")
                .AddAspNetCoreInstrumentation(options =>
                {
                    // Health probes arrive every few seconds and would drown the real traces.
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath);
                    options.EnrichWithHttpRequest = (activity, _) => RedactTag(activity, "url.path");
                }));
        // No HttpClient spans: the services' only outgoing HTTP is the site's proxy hop to the API, which the site's
        // server span and the API's own already bracket. HttpClient still passes the trace on (traceparent).

        // The app host sets this endpoint; without it (e.g. a bare `dotnet run` of one service) nothing is exported.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
            // The exporter's own HttpClient, not the factory's: the factory's clients carry the resilience handler,
            // whose pipeline the container disposes before the exporter's last flush at shutdown. That flush then
            // failed and was retried until its deadline, so every service took 5 s to stop and lost its last telemetry.
            builder.Services.ConfigureAll<OtlpExporterOptions>(options => options.HttpClientFactory = () => new HttpClient());
        }

        return builder;
    }

    private static void RedactTag(System.Diagnostics.Activity activity, string tag)
    {
        if (activity.GetTagItem(tag) is string url)
        {
            activity.SetTag(tag, SecretUrls.Redact(url));
        }
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // A dependency that hangs (a broker that is down) must not hang /health: each check gets a few seconds.
        builder.Services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var check in options.Registrations.Where(r => r.Timeout == Timeout.InfiniteTimeSpan))
            {
                check.Timeout = TimeSpan.FromSeconds(3);
            }
        });
        builder.Services.AddOptions<LoopOptions>().BindConfiguration(LoopOptions.Section);
        builder.Services.AddSingleton<LoopHealth>();
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag])
            .Add(new HealthCheckRegistration("background-loops", services => services.GetRequiredService<LoopHealth>(), failureStatus: null, tags: null));

        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (ready: every registered check, e.g. RabbitMQ and the database) and
    /// <c>/alive</c> (liveness: only the process itself).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync });
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
        });

        return app;
    }
}
