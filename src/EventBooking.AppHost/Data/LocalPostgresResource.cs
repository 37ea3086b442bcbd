namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The installed PostgreSQL 15 run as a plain process by scripts/postgres-local.sh (cluster made on first start).
/// Its connection string has the shape of the container resource's, so services do not know which one they got.
/// </summary>
public sealed class LocalPostgresResource(string name, string script, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, "bash", dataDirectory), IResourceWithConnectionString
{
    internal const string EndpointName = "tcp";

    public string DataDirectory { get; } = dataDirectory;

    public string Script { get; } = script;

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    /// <summary>The postgres account's password: the secret parameter <c>postgres-password</c>.</summary>
    public ParameterResource Password { get; } = password;

    // Bound to 127.0.0.1 only, password authentication for every connection (the script's pg_hba.conf).
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username=postgres;Password={Password}");
}
