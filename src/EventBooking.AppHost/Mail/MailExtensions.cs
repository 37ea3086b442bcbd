using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>
/// Where the services' mail goes. By default a dev mail server, smtp4dev, that keeps every mail for reading (web UI
/// and HTTP API on port 8025, SMTP on 1025; random ports in tests): its container when a runtime answers, otherwise
/// its .NET tool. With Mail:Host set, a real relay instead: Mail:Host, Port, Security and UserName from
/// configuration, the password as the secret parameter mail-password.
/// </summary>
public sealed class MailSetup
{
    internal IResourceBuilder<IResourceWithConnectionString>? DevServer { get; init; }

    internal IConfigurationSection Relay { get; init; } = null!;

    internal IResourceBuilder<ParameterResource>? RelayPassword { get; init; }
}

public static class MailExtensions
{
    private const string Image = "rnwood/smtp4dev";
    private const string ImageTag = "v3";

    // smtp4dev keeps only the newest 100 by default: a load test or a burst of sign-ups would push mail out.
    private const string MessagesToKeep = "100000";

    public static MailSetup AddMail(this IDistributedApplicationBuilder builder, string name)
    {
        var relay = builder.Configuration.GetSection("Mail");
        if (!string.IsNullOrWhiteSpace(relay["Host"]))
        {
            var password = string.IsNullOrWhiteSpace(relay["UserName"]) ? null : builder.AddParameter("mail-password", secret: true);
            return new MailSetup { Relay = relay, RelayPassword = password };
        }

        var mode = builder.Configuration.GetValue("Mail:Mode", RunMode.Auto);
        IResourceBuilder<IResourceWithConnectionString> server = ContainerRuntime.Use(builder, mode)
            ? builder.AddResource(new MailServerContainerResource(name))
                .WithImage(Image, ImageTag)
                .WithHttpEndpoint(port: 8025, targetPort: 80, name: MailServer.WebEndpointName)
                .WithEndpoint(port: 1025, targetPort: 25, name: MailServer.SmtpEndpointName, scheme: "tcp")
                .WithEnvironment("ServerOptions__MessagesToKeep", MessagesToKeep)
                .WithHttpHealthCheck("/", endpointName: MailServer.WebEndpointName)
            : builder.AddLocalMailServer(name);
        return new MailSetup { DevServer = server, Relay = relay };
    }

    private static IResourceBuilder<LocalMailServerResource> AddLocalMailServer(this IDistributedApplicationBuilder builder, string name)
    {
        // `dotnet tool run` finds the tool manifest (dotnet-tools.json) from the repository down to here.
        var resource = new LocalMailServerResource(name, builder.AppHostDirectory);
        var web = new EndpointReference(resource, MailServer.WebEndpointName);
        return builder.AddResource(resource)
            .WithHttpEndpoint(port: 8025, name: MailServer.WebEndpointName)
            .WithEndpoint(port: 1025, name: MailServer.SmtpEndpointName, scheme: "tcp")
            .WithArgs(context =>
            {
                context.Args.Add("tool");
                context.Args.Add("run");
                context.Args.Add("smtp4dev");
                context.Args.Add("--");
                context.Args.Add(ReferenceExpression.Create($"--urls=http://127.0.0.1:{web.Property(EndpointProperty.TargetPort)}"));
                context.Args.Add(ReferenceExpression.Create($"--smtpport={resource.Smtp.Property(EndpointProperty.TargetPort)}"));
                // Mail is kept in memory: a dev inbox, empty at each start. No IMAP or POP3, no settings from the user profile.
                context.Args.Add("--db=");
                context.Args.Add("--imapport=0");
                context.Args.Add("--pop3port=0");
                context.Args.Add("--nousersettings");
                // Loopback only: nobody else on the network may send into the dev inbox or read it.
                context.Args.Add("--bindaddress=127.0.0.1");
                context.Args.Add($"--messagestokeep={MessagesToKeep}");
            })
            .WithHttpHealthCheck("/", endpointName: MailServer.WebEndpointName);
    }

    /// <summary>Gives a service the mail settings: the dev server by reference, or the relay's settings and password.</summary>
    public static IResourceBuilder<ProjectResource> WithMail(this IResourceBuilder<ProjectResource> service, MailSetup mail)
    {
        // From and Reply-To in either case; the relay's connection settings only for the relay.
        string[] forwarded = mail.DevServer is null ? ["Host", "Port", "Security", "UserName", "From", "ReplyTo"] : ["From", "ReplyTo"];
        foreach (var key in forwarded.Where(key => !string.IsNullOrWhiteSpace(mail.Relay[key])))
        {
            service.WithEnvironment($"Mail__{key}", mail.Relay[key]);
        }

        if (mail.DevServer is { } server)
        {
            // Not waited for: a service starts, and queues mail, while the mail server is down; its sender catches up.
            return service.WithReference(server).WithEnvironment("Mail__Security", "None");
        }

        return mail.RelayPassword is { } password ? service.WithEnvironment("Mail__Password", password) : service;
    }
}
