namespace Aspire.Hosting.ApplicationModel;

/// <summary>smtp4dev run as its .NET tool (the repository's tool manifest pins it): the dev mail server without a container.</summary>
public sealed class LocalMailServerResource(string name, string workingDirectory)
    : ExecutableResource(name, "dotnet", workingDirectory), IResourceWithConnectionString
{
    public EndpointReference Smtp => new(this, MailServer.SmtpEndpointName);

    public ReferenceExpression ConnectionStringExpression => MailServer.ConnectionString(Smtp);
}

/// <summary>smtp4dev's container image, for machines with a container runtime.</summary>
public sealed class MailServerContainerResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    public EndpointReference Smtp => new(this, MailServer.SmtpEndpointName);

    public ReferenceExpression ConnectionStringExpression => MailServer.ConnectionString(Smtp);
}

public static class MailServer
{
    public const string SmtpEndpointName = "smtp";
    public const string WebEndpointName = "http";

    /// <summary>What services read as ConnectionStrings:mail.</summary>
    public static ReferenceExpression ConnectionString(EndpointReference smtp) =>
        ReferenceExpression.Create($"smtp://{smtp.Property(EndpointProperty.Host)}:{smtp.Property(EndpointProperty.Port)}");
}
