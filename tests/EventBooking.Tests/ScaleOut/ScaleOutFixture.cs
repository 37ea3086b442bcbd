namespace EventBooking.Tests.ScaleOut;

/// <summary>
/// The graph in its scale-out shape: PostgreSQL, two API replicas behind the site's proxy and two notifiers (one
/// active, one standing by). Checks go through the API, so they read the same on either database.
/// </summary>
public sealed class ScaleOutFixture : IAsyncLifetime
{
    public DistributedApplication App { get; private set; } = null!;

    public HttpClient Frontend { get; private set; } = null!;

    public Mailbox Mailbox { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await GraphFixture.StartAsync(
            [.. GraphFixture.DefaultArguments, "--EventBooking:Database=postgres", "--EventBooking:ApiReplicas=2", "--EventBooking:NotifierReplicas=2"]);
        Frontend = App.CreateHttpClient("frontend");
        Mailbox = new Mailbox(App.CreateHttpClient("mail", "http"));
    }

    /// <summary>The running replicas of <paramref name="resource"/>: each instance's name and its service process.</summary>
    public async Task<List<(string Instance, int Pid)>> ReplicasAsync(string resource)
    {
        // The notification stream starts with every resource's current state; a second is plenty to read it.
        var running = new Dictionary<string, int>();
        using var replay = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await foreach (var change in App.ResourceNotifications.WatchAsync(replay.Token))
            {
                if (change.Resource.Name == resource
                    && change.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } wrapper
                    && change.Snapshot.State?.Text == "Running")
                {
                    running[change.ResourceId] = Convert.ToInt32(wrapper, System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (change.Resource.Name == resource)
                {
                    running.Remove(change.ResourceId);
                }
            }
        }
        catch (OperationCanceledException) when (replay.IsCancellationRequested)
        {
            // Read all there was to read.
        }

        // A replica just killed may still be reported running for a moment: only live service processes count.
        return [.. running
            .Select(r => (Instance: r.Key, Pid: Processes.WithDescendants([r.Value]).FirstOrDefault(pid => Processes.IsAlive(pid)
                && Processes.CommandLine(pid) is var command
                && command.Contains("/bin/", StringComparison.Ordinal) && !command.StartsWith("dotnet", StringComparison.Ordinal))))
            .Where(r => r.Pid != 0)];
    }

    /// <summary>A signed-in manager's client through the site, for the checks.</summary>
    public async Task<HttpClient> ManagerAsync()
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = Frontend.BaseAddress };
        using var signIn = await client.PostAsJsonAsync("/api/admin/auth/sign-in", new { email = GraphFixture.ManagerEmail, password = GraphFixture.ManagerPassword });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        return client;
    }

    public async Task DisposeAsync()
    {
        Frontend.Dispose();
        await App.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ScaleOutCollection : ICollectionFixture<ScaleOutFixture>
{
    public const string Name = "scale-out";
}
