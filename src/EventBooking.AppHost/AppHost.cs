using EventBooking.AppHost;
using EventBooking.AppHost.Data;
using Microsoft.Extensions.Configuration;

var builder = DistributedApplication.CreateBuilder(args);

var data = AppDataDirectory.Resolve(builder);

// One number for both services: the API shows codes left, the notifier hands them out.
var totalCodes = builder.Configuration["Promo:TotalCodes"] ?? "10";

// manager-email / manager-password: the first back-office account; the password is generated once and kept in
// this app host's user secrets (dotnet user-secrets list --project src/EventBooking.AppHost), or set it there
// (the email is read from configuration first, so Parameters:manager-email from the command line, user secrets or the
// environment replaces the default; a fixed AddParameter value would silently ignore them)
var managerEmail = builder.AddParameter(
    "manager-email", builder.Configuration["Parameters:manager-email"] ?? "manager@eventbooking.local", publishValueAsDefault: true);
var managerPassword = builder.AddParameter(
    "manager-password", new GenerateParameterDefault { MinLength = 20, Special = false }, secret: true, persist: true);

// site-proxy-key: proves to the API that X-Forwarded-For comes from the site's own proxy; new on every start
var siteProxyKey = builder.AddParameter(
    "site-proxy-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

// postgres (with EventBooking:Database=postgres): the services' databases; otherwise each keeps a SQLite file
var databases = builder.AddDatabases(data);

// Replicas (EventBooking:ApiReplicas, EventBooking:NotifierReplicas; 1 each by default) share one database server.
var apiReplicas = builder.Configuration.GetValue("EventBooking:ApiReplicas", 1);
var notifierReplicas = builder.Configuration.GetValue("EventBooking:NotifierReplicas", 1);
if ((apiReplicas > 1 || notifierReplicas > 1) && !databases.IsPostgres)
{
    throw new DistributedApplicationException("Replicas share one database: add --EventBooking:Database=postgres (SQLite is a file per process).");
}

// messaging: RabbitMQ, buffers promo sign-ups in strict arrival order and carries their statuses back
var messaging = builder.AddMessaging("messaging", data);

// mail: the dev mail server (smtp4dev; read it at http://localhost:8025), or a real relay when Mail:Host is set
var mail = builder.AddMail("mail");

// api: orders, promo sign-ups, the back office and the browsers' WebSockets; owns the SQLite database
// (api and notifier reference the broker without waiting for it: each starts, or restarts, while it is down and
// connects when it comes, so a broker outage never keeps a crashed service from coming back.)
var api = builder.AddProject<Projects.EventBooking_ApiService>("api")
    .WithReference(messaging)
    .WithMail(mail)
    .WithDatabase(databases, "eventbooking", sqliteFolder: "api")
    .WithReplicas(apiReplicas)
    .WithEnvironment("Promo__TotalCodes", totalCodes)
    .WithEnvironment("Admin__ManagerEmail", managerEmail)
    .WithEnvironment("Admin__ManagerPassword", managerPassword)
    .WithEnvironment("SiteProxy__Key", siteProxyKey)
    .WithConfigurationSections(builder.Configuration, "Promo", "Notifications", "RateLimits", "WebSockets", "Database", "Loops", "Telemetry")
    .WithServiceEnvironment(builder.Configuration)
    .WithHttpHealthCheck("/health")
    // backups of every database: hourly (Backup:Interval), kept 48 (Backup:Keep), in .data/backups (Backup:Directory)
    .WithBackups(builder, data, databases);

// notifier: takes promo requests in strict arrival order, decides (in batches when they queue up), reports each step
// back, and mails each winner's code (and the others a note)
builder.AddProject<Projects.EventBooking_Notifier>("notifier")
    .WithReference(messaging)
    .WithMail(mail)
    .WithDatabase(databases, "notifier", sqliteFolder: "notifier")
    .WithReplicas(notifierReplicas)
    .WithEnvironment("Promo__TotalCodes", totalCodes)
    .WithEnvironment("Promo__StepDelay", builder.Configuration["Promo:StepDelay"] ?? "00:00:00.500")
    .WithConfigurationSections(builder.Configuration, "Promo", "Database", "Loops", "Telemetry")
    .WithServiceEnvironment(builder.Configuration)
    .WithHttpHealthCheck("/health");

// frontend: the public site (http://localhost:8080); forwards /api and /ws to the api so browsers see one origin
var frontend = builder.AddProject<Projects.EventBooking_Frontend>("frontend")
    .WithReference(api).WaitFor(api)
    .WithEnvironment("SiteProxy__Key", siteProxyKey)
    .WithConfigurationSections(builder.Configuration, "Site", "Telemetry")
    .WithServiceEnvironment(builder.Configuration)
    .WithEndpoint("http", endpoint => endpoint.Port = 8080)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

// Links in mails point at the public site.
api.WithEnvironment("Mail__SiteUrl", frontend.GetEndpoint("http"));

// Without the orchestrator's TCP proxies in front of the site and the API, as in production (fixed ports 8080 and
// 5301): the load test measures the product, not two extra hops, and thousands of held WebSockets do not cost the
// proxy four file descriptors each. API replicas keep theirs: it is what spreads the site's requests over them.
if (bool.TryParse(builder.Configuration["EventBooking:DirectEndpoints"], out var direct) && direct)
{
    frontend.WithEndpointProxySupport(false);
    if (apiReplicas == 1)
    {
        api.WithEndpointProxySupport(false);
    }
}

builder.Build().Run();
