using System.Data.Common;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventBooking.Tests.Infrastructure;

/// <summary>
/// The whole Aspire graph (broker, api, notifier, frontend) started once and shared by a test collection:
/// a start costs ~15 s, so tests share it and each one uses data of its own (fresh emails, new orders).
/// </summary>
public partial class GraphFixture : IAsyncLifetime
{
    public static readonly string[] ResourceNames = ["messaging", "mail", "api", "notifier", "frontend"];
    /// <summary>A graph starts in 15-40 s here; one that cannot start fails this soon, saying which resource and why.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>HTTP client for the public site, as a browser sees it (API calls go through its proxy).</summary>
    public HttpClient Frontend { get; private set; } = null!;

    /// <summary>HTTP client straight to the API service, bypassing the frontend.</summary>
    public HttpClient Api { get; private set; } = null!;

    /// <summary>The API's SQLite file, read directly by tests to prove what was really stored.</summary>
    public string ApiDatabasePath { get; private set; } = null!;

    /// <summary>
    /// Whether this run tests the scale-out shape (PostgreSQL, two API replicas, two notifiers) instead of the default
    /// one: <c>EVENTBOOKING_TEST_SHAPE=scale-out</c>, which <c>./test.sh</c> sets for its second pass over the flows.
    /// </summary>
    public static bool ScaleOut { get; } = Environment.GetEnvironmentVariable("EVENTBOOKING_TEST_SHAPE") == "scale-out";

    public static readonly string[] ScaleOutArguments =
        ["--EventBooking:Database=postgres", "--EventBooking:ApiReplicas=2", "--EventBooking:NotifierReplicas=2"];

    /// <summary>App-host settings for this graph (command-line form); every test graph has instant promo steps.</summary>
    protected virtual string[] Arguments => ScaleOut ? [.. DefaultArguments, .. ScaleOutArguments] : [.. DefaultArguments, .. ScheduledBackupArguments];

    /// <summary>The shared graph backs up every few seconds and keeps two (OnPremisesTests): hourly and 48 for ./run.sh.</summary>
    public static readonly string[] ScheduledBackupArguments = ["--Backup:Interval=00:00:03", "--Backup:Keep=2"];

    /// <summary>Whether this graph keeps its data in PostgreSQL (otherwise a SQLite file per service).</summary>
    public bool OnPostgres => Arguments.Contains("--EventBooking:Database=postgres");

    public static string[] DefaultArguments =>
    [
        "--Promo:StepDelay=00:00:00",
        $"--Parameters:manager-password={ManagerPassword}",
        $"--Parameters:site-proxy-key={SiteProxyKey}",
        // Given, so that no test run writes generated secrets into the app host's user secrets.
        "--Parameters:messaging-password=TestBrokerPassword42",
        "--Parameters:postgres-password=TestPostgresPassword42",
        // Every test client is 127.0.0.1, one "client" to the limits: the hardening tests prove them on a graph of
        // their own with small limits.
        "--RateLimits:Orders:PermitLimit=1000000",
        "--RateLimits:PromoSignUps:PermitLimit=1000000",
        "--RateLimits:SignIn:PermitLimit=1000000",
        "--RateLimits:Lookups:PermitLimit=1000000",
        "--WebSockets:MaxPerClient=100000",
        "--Site:MaxConnectionsPerClient=0",
        // The flows sign up hundreds of people at example.com, straight to the queue: the per-domain cap and
        // confirmed mailboxes are proven on a graph of their own (FairPromotionFixture).
        "--Promo:MaxPerDomain=0",
        "--Promo:ConfirmEmail=false",
        "--Promo:ProofOfWork:Enabled=false",
        // The managers' mail spaced by seconds, not a minute, so a test sees a second one without waiting a minute.
        "--Notifications:MinInterval=00:00:05",
    ];

    public const string ManagerEmail = "manager@eventbooking.local";

    /// <summary>What the site's proxy proves itself with; tests use it to speak for clients at other addresses.</summary>
    public const string SiteProxyKey = "TestSiteProxyKey0123456789abcdef";
    // Letters and digits only, like the password the app host generates for ./run.sh: the account policy must take it.
    public const string ManagerPassword = "TestManagerPassword42";

    /// <summary>An HTTP client for the public site with its own cookie jar, already signed in as the manager.</summary>
    public async Task<HttpClient> SignedInManagerAsync()
    {
        var client = NewBrowserLikeClient();
        using var response = await client.PostAsJsonAsync("/api/admin/auth/sign-in", new { email = ManagerEmail, password = ManagerPassword });
        Assert.True(response.IsSuccessStatusCode, $"manager sign-in answered {(int)response.StatusCode}");
        return client;
    }

    /// <summary>
    /// A cookie-keeping client straight to the API that presents itself as the site's proxy forwarding for a client at
    /// <paramref name="address"/>: how tests give each simulated person an address of their own.
    /// </summary>
    public HttpClient ApiAsProxyFor(string address)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = Api.BaseAddress };
        client.DefaultRequestHeaders.Add("X-EventBooking-Proxy-Key", SiteProxyKey);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    /// <summary>A signed-in manager's client and the back office's live feed, opened with its cookie as the page does.</summary>
    public async Task<ManagerFeed> ManagerWithLiveFeedAsync(CancellationToken cancellationToken)
    {
        var cookies = new CookieContainer();
        var manager = new HttpClient(new HttpClientHandler { CookieContainer = cookies, UseCookies = true }) { BaseAddress = Frontend.BaseAddress };
        using (var signIn = await manager.PostAsJsonAsync("/api/admin/auth/sign-in", new { email = ManagerEmail, password = ManagerPassword }, cancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        }

        var feed = new System.Net.WebSockets.ClientWebSocket();
        feed.Options.Cookies = cookies;
        await feed.ConnectAsync(new UriBuilder(new Uri(Frontend.BaseAddress!, "/ws/admin")) { Scheme = "ws" }.Uri, cancellationToken);
        return new ManagerFeed(manager, feed);
    }

    /// <summary>A client for the public site that keeps cookies, as a browser does.</summary>
    public HttpClient NewBrowserLikeClient() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = Frontend.BaseAddress };

    public virtual async Task InitializeAsync()
    {
        App = await StartAsync(Arguments, CollectsTelemetry ? ExportTelemetryHere : null);
        Instances = await InstancesAsync();
        WatchLogs();

        Frontend = App.CreateHttpClient("frontend");
        Api = App.CreateHttpClient("api");
        Mailbox = new Mailbox(App.CreateHttpClient("mail", "http"));
        if (!OnPostgres)
        {
            ApiDatabasePath = DataSourceOf("api", "ConnectionStrings__eventbooking");
            NotifierDatabasePath = DataSourceOf("notifier", "ConnectionStrings__notifier");
        }
    }

    /// <summary>The instances (replicas) of each resource, e.g. "api" → ["api-x7kq2", "api-c3mvd"].</summary>
    public IReadOnlyDictionary<string, string[]> Instances { get; private set; } = null!;

    /// <summary>The notifier's SQLite file (default shape only).</summary>
    public string NotifierDatabasePath { get; private set; } = null!;

    /// <summary>What the dev mail server received.</summary>
    public Mailbox Mailbox { get; private set; } = null!;

    /// <summary>Opens the notifier's database to read what it decided.</summary>
    public DbConnection OpenNotifierDatabase() => OpenDatabase("notifier", NotifierDatabasePath);

    /// <summary>Opens the API's database to read, as a manager's report would (on SQLite without taking its write lock).</summary>
    public DbConnection OpenApiDatabase() => OpenDatabase("eventbooking", ApiDatabasePath);

    private DbConnection OpenDatabase(string name, string sqliteFile)
    {
        DbConnection connection = OnPostgres
            ? new NpgsqlConnection($"{App.GetConnectionStringAsync("postgres").AsTask().GetAwaiter().GetResult()};Database={name}")
            : new SqliteConnection($"Data Source={sqliteFile};Mode=ReadOnly");
        connection.Open();
        return connection;
    }

    private string DataSourceOf(string resource, string variable)
    {
        Assert.True(App.ResourceNotifications.TryGetCurrentState(resource, out var state), $"no state for {resource}");
        var connectionString = state.Snapshot.EnvironmentVariables.Single(v => v.Name == variable).Value;
        return new SqliteConnectionStringBuilder(connectionString).DataSource;
    }

    private async Task<Dictionary<string, string[]>> InstancesAsync()
    {
        // The notification stream starts with every instance's current state; a second is plenty to read it.
        var seen = new HashSet<(string Resource, string Instance)>();
        using var replay = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await foreach (var change in App.ResourceNotifications.WatchAsync(replay.Token))
            {
                seen.Add((change.Resource.Name, change.ResourceId));
            }
        }
        catch (OperationCanceledException) when (replay.IsCancellationRequested)
        {
            // Read all there was to read.
        }

        return ResourceNames.Append("postgres").ToDictionary(name => name, name => seen.Where(s => s.Resource == name).Select(s => s.Instance).Order().ToArray());
    }

    /// <summary>Starts a graph with these app-host settings; <paramref name="configure"/> may change its resources first.</summary>
    public static async Task<DistributedApplication> StartAsync(
        string[] arguments, Action<IDistributedApplicationTestingBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        StartServicesFromTheBuild();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.EventBooking_AppHost>(
            ["--EventBooking:UseTemporaryData=true", .. arguments], timeout.Token);
        // Resource output (the broker alone writes ~700 lines per start) only when it is a warning or worse.
        builder.Services.AddLogging(logging => logging
            .AddFilter("EventBooking.AppHost.Resources", LogLevel.Warning)
            .AddFilter("Aspire.Hosting", LogLevel.Warning)
            .AddFilter("System.Net.Http", LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical));
        configure?.Invoke(builder);

        var app = await builder.BuildAsync(timeout.Token);
        AskUnhealthyResourcesOften(app);
        try
        {
            await app.StartAsync(timeout.Token);
            await GraphStart.WaitUntilHealthyAsync(app, ResourceNames, timeout.Token);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    /// <summary>
    /// Aspire asks an unhealthy resource again after 1, 2, 3, 4, then every 5 s (a setting internal to its
    /// ResourceHealthCheckService), so a service back from a restart was seen up to 5 s late: at every graph start,
    /// behind every WaitFor, and after every restart of a chaos test. Here it is asked every quarter second at most.
    /// </summary>
    private static void AskUnhealthyResourcesOften(DistributedApplication app)
    {
        var service = app.Services.GetServices<IHostedService>().Single(s => s.GetType().Name == "ResourceHealthCheckService");
        var step = service.GetType().GetProperty("NonHealthyHealthCheckStepInterval", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("Aspire's ResourceHealthCheckService has no NonHealthyHealthCheckStepInterval any more: find its new name.");
        step.SetValue(service, TimeSpan.FromMilliseconds(250));
    }

    public virtual async Task DisposeAsync()
    {
        await _stopWatchingLogs.CancelAsync();
        Frontend.Dispose();
        Api.Dispose();
        try
        {
            await StopAndProveNothingLeftAsync();
        }
        finally
        {
            Telemetry?.Dispose();
        }
    }
}

/// <summary>The shared graph, and the one browser its page tests drive.</summary>
[CollectionDefinition(Name)]
public sealed class GraphCollection : ICollectionFixture<GraphFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "graph";
}
