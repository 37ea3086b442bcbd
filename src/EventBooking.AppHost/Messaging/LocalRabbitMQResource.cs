namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A RabbitMQ broker from the operating system's <c>rabbitmq-server</c> package, run as a plain process.
/// It exposes the same connection string shape as the container resource, so services call
/// <c>AddRabbitMQClient("messaging")</c> without knowing which one they got.
/// </summary>
public sealed class LocalRabbitMQResource(string name, string command, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, command, dataDirectory), IResourceWithConnectionString
{
    /// <summary>The one account the services use; its password is the secret parameter <c>messaging-password</c>.</summary>
    internal const string UserName = "eventbooking";

    internal const string PrimaryEndpointName = "tcp";
    internal const string DistributionEndpointName = "dist";

    private EndpointReference? _primaryEndpoint;

    public string DataDirectory { get; } = dataDirectory;

    public ParameterResource Password { get; } = password;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    // Generated letters and digits: nothing to escape in the URI.
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://{UserName}:{Password}@{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}
