using EventBooking.ApiService.Messaging;
using EventBooking.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace EventBooking.FastTests.Infrastructure;

/// <summary>
/// The API on a real Kestrel (its request limits are part of the contract) over a real temporary SQLite file, without
/// a broker or mail server: what needs them (the outbox relay, the status consumer, the mail sender) is left out, so
/// HTTP contracts are tested in milliseconds. Extra settings override the defaults.
/// </summary>
public class ApiFactory : KestrelFactory<Program>
{
    public ApiFactory()
        : this(Path.Combine(Path.GetTempPath(), $"eventbooking-fast-{Guid.NewGuid():N}"))
    {
    }

    /// <summary>An API over the database in <paramref name="folder"/>: two of them over one folder are two replicas.</summary>
    protected ApiFactory(string folder)
    {
        _folder = folder;
    }


    public const string ManagerEmail = "manager@eventbooking.local";
    public const string ManagerPassword = "FastTestManagerPassword42";
    public const string SiteProxyKey = "FastTestSiteProxyKey0123456789ab";

    private readonly string _folder;

    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:eventbooking", $"Data Source={Path.Combine(_folder, "eventbooking.db")}");
        builder.UseSetting("ConnectionStrings:messaging", "amqp://guest:guest@127.0.0.1:1");
        builder.UseSetting("Admin:ManagerEmail", ManagerEmail);
        builder.UseSetting("Admin:ManagerPassword", ManagerPassword);
        builder.UseSetting("SiteProxy:Key", SiteProxyKey);
        // Limits are proven by tests that set their own; the others must not trip over them.
        foreach (var limit in new[] { "Orders", "PromoSignUps", "SignIn", "Lookups" })
        {
            builder.UseSetting($"RateLimits:{limit}:PermitLimit", "1000000");
        }

        // Tests sign up many people at example.com, straight to the queue: the per-domain cap and confirmed
        // mailboxes are proven by factories that set them.
        builder.UseSetting("Promo:MaxPerDomain", "0");
        builder.UseSetting("Promo:ConfirmEmail", "false");
        builder.UseSetting("Promo:ProofOfWork:Enabled", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            // No broker and no mail server: tests read the outboxes instead.
            foreach (var needsServer in services.Where(s => s.ServiceType == typeof(IHostedService)
                && s.ImplementationType is { } type
                && (type == typeof(OutboxRelay) || type == typeof(PromoStatusConsumer) || type.Name == "AdminFeedRelay"
                    || type == typeof(EventBooking.Mail.MailSender<EventBooking.ApiService.Data.EventBookingDbContext>))).ToList())
            {
                services.Remove(needsServer);
            }
        });
    }

    /// <summary>The API's SQLite file, read-only unless a test must write what no API can yet, to prove what was stored.</summary>
    public Microsoft.Data.Sqlite.SqliteConnection OpenDatabase(bool writable = false)
    {
        var mode = writable ? "ReadWrite;Default Timeout=30" : "ReadOnly";
        var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_folder, "eventbooking.db")};Mode={mode}");
        connection.Open();
        return connection;
    }

    /// <summary>A cookie-keeping client signed in as the manager the settings seed.</summary>
    public async Task<HttpClient> SignedInManagerAsync()
    {
        var client = ClientAt("192.0.2.90");
        using var response = await client.PostAsJsonAsync("/api/admin/auth/sign-in", new { email = ManagerEmail, password = ManagerPassword });
        Assert.True(response.IsSuccessStatusCode, $"manager sign-in answered {(int)response.StatusCode}");
        return client;
    }

    /// <summary>A cookie-keeping client of the site's proxy forwarding for a person at <paramref name="address"/>.</summary>
    public HttpClient ClientAt(string address) => ClientAt(address, new CookieContainer());

    /// <summary>The same, keeping cookies in <paramref name="cookies"/> (shared by the replicas on this host).</summary>
    public HttpClient ClientAt(string address, CookieContainer cookies)
    {
        StartServer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, UseCookies = true }) { BaseAddress = Address };
        client.DefaultRequestHeaders.Add("X-EventBooking-Proxy-Key", SiteProxyKey);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    /// <summary>A signed-in manager's client and the back office's live feed, opened with its cookie as the page does.</summary>
    public async Task<ManagerFeed> ManagerWithLiveFeedAsync(CancellationToken cancellationToken)
    {
        var cookies = new CookieContainer();
        var manager = ClientAt("192.0.2.91", cookies);
        using (var signIn = await manager.PostAsJsonAsync("/api/admin/auth/sign-in", new { email = ManagerEmail, password = ManagerPassword }, cancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        }

        var feed = new System.Net.WebSockets.ClientWebSocket();
        feed.Options.Cookies = cookies;
        await feed.ConnectAsync(new UriBuilder(new Uri(manager.BaseAddress!, "/ws/admin")) { Scheme = "ws" }.Uri, cancellationToken);
        return new ManagerFeed(manager, feed);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_folder))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }
}

/// <summary>One of several API processes over the same database folder.</summary>
public sealed class ReplicaFactory(string folder) : ApiFactory(folder);
