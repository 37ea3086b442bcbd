using EventBooking.AppHost.Data;
using EventBooking.AppHost.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

public static class MessagingExtensions
{
    private const string DefaultServerPath = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    /// <summary>
    /// Adds the RabbitMQ broker: the standard container when a container runtime answers, otherwise the
    /// operating system's rabbitmq-server as a process. <c>RabbitMQ:Mode</c> (auto | container | local) forces one.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddMessaging(
        this IDistributedApplicationBuilder builder, string name, AppDataDirectory data)
    {
        var mode = builder.Configuration.GetValue("RabbitMQ:Mode", RunMode.Auto);
        var serverPath = builder.Configuration["RabbitMQ:ServerPath"] ?? DefaultServerPath;
        // messaging-password: generated once and kept in the app host's user secrets, like the manager's; no process on
        // the machine gets in as guest/guest to publish a status the API would store and show.
        var password = builder.AddParameter($"{name}-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);

        if (ContainerRuntime.Use(builder, mode))
        {
            var container = builder.AddRabbitMQ(name, password: password);
            return data.IsTemporary ? container : container.WithDataVolume().WithLifetime(ContainerLifetime.Persistent);
        }

        if (!File.Exists(serverPath))
        {
            throw new DistributedApplicationException(mode == RunMode.Local
                ? $"RabbitMQ:Mode is 'local' but no rabbitmq-server was found at {serverPath}. " +
                  "Install it (sudo apt-get install -y rabbitmq-server), set RabbitMQ:ServerPath, or use RabbitMQ:Mode=container with Docker or Podman running."
                : $"No RabbitMQ broker is available: no container runtime answers and no rabbitmq-server was found at {serverPath}. " +
                  "Install it (sudo apt-get install -y rabbitmq-server, or just run ./run.sh) or start Docker.");
        }

        return builder.AddLocalRabbitMQ(name, serverPath, data, password.Resource);
    }

    private static IResourceBuilder<LocalRabbitMQResource> AddLocalRabbitMQ(
        this IDistributedApplicationBuilder builder, string name, string serverPath, AppDataDirectory data, ParameterResource password)
    {
        var directory = data.For("broker");
        var definitions = Path.Combine(directory, "definitions.json");
        File.WriteAllText(Path.Combine(directory, "enabled_plugins"), "[].");
        File.WriteAllText(Path.Combine(directory, "rabbitmq.conf"), $"# Written by the app host; see MessagingExtensions.cs.\nload_definitions = {definitions}\n");

        // A stable node name keeps the queues of a persistent data folder across restarts; temporary instances
        // need unique names so that several app hosts (tests beside `dotnet run`) can run side by side.
        var nodeName = data.IsTemporary ? $"eventbooking-{Path.GetFileName(data.Root)}" : "eventbooking";
        var resource = new LocalRabbitMQResource(name, serverPath, directory, password);
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (_, cancellationToken) =>
            await BrokerAccounts.WriteDefinitionsAsync(definitions, LocalRabbitMQResource.UserName, (await password.GetValueAsync(cancellationToken))!, cancellationToken));

        var healthCheckKey = $"{name}-amqp";
        var healthCheck = new RabbitMQConnectionHealthCheck(resource.ConnectionStringExpression.GetValueAsync);
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheckKey, _ => healthCheck, failureStatus: default, tags: default));

        return builder.AddResource(resource)
            .WithEndpoint(name: LocalRabbitMQResource.PrimaryEndpointName, scheme: "tcp", env: "RABBITMQ_NODE_PORT", isProxied: false)
            // Erlang's default distribution port (node port + 20000) overflows for high random ports.
            .WithEndpoint(name: LocalRabbitMQResource.DistributionEndpointName, scheme: "tcp", env: "RABBITMQ_DIST_PORT", isProxied: false)
            .WithEnvironment("HOME", directory)
            .WithEnvironment("RABBITMQ_NODENAME", $"{nodeName}@localhost")
            .WithEnvironment("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_MNESIA_BASE", Path.Combine(directory, "mnesia"))
            .WithEnvironment("RABBITMQ_LOG_BASE", Path.Combine(directory, "log"))
            .WithEnvironment("RABBITMQ_LOGS", "-")
            .WithEnvironment("RABBITMQ_CONFIG_FILE", Path.Combine(directory, "rabbitmq.conf"))
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS_FILE", Path.Combine(directory, "enabled_plugins"))
            .WithEnvironment("RABBITMQ_PID_FILE", Path.Combine(directory, "rabbit.pid"))
            // Makes the stock script exec erl instead of forking it, so the process the orchestrator stops is the
            // broker itself and no beam.smp outlives the app host.
            .WithEnvironment("RABBITMQ_ALLOW_INPUT", "true")
            .WithEnvironment("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-noinput -kernel inet_dist_use_interface {127,0,0,1}" + ConsumerTimeoutArgs(builder.Configuration))
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>
    /// <c>RabbitMQ:ConsumerTimeout</c> (default: the broker's 30 minutes) shortens how long a delivery may stay
    /// unacknowledged before the broker closes the consumer's channel, checked every second instead of every minute:
    /// the tests prove the consumers survive it without waiting half an hour.
    /// </summary>
    private static string ConsumerTimeoutArgs(IConfiguration configuration) =>
        configuration.GetValue<TimeSpan?>("RabbitMQ:ConsumerTimeout") is { } timeout
            ? $" -rabbit consumer_timeout {(long)timeout.TotalMilliseconds} -rabbit channel_tick_interval 1000"
            : string.Empty;
}
