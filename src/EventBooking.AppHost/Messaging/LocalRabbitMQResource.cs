namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A RabbitMQ broker from the operating system's <c>rabbitmq-server</c> package, run as a plain process.
/// It exposes the same connection string shape as the container resource, so services call
/// <c>AddRabbitMQClient("messaging")</c> without knowing which one they got.
/// </summary>
public sealed class LocalRabbitMQResource(string name, string command, string dataDirectory)
    : ExecutableResource(name, command, dataDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";
    internal const string DistributionEndpointName = "dist";

    private EndpointReference? _primaryEndpoint;

    public string DataDirectory { get; } = dataDirectory;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    // guest/guest is the broker's built-in account, which RabbitMQ only accepts over loopback: the node binds 127.0.0.1.
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://guest:guest@{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}
