using System.Diagnostics;
using EventBooking.Tests.Promo;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace EventBooking.Tests.Chaos;

public sealed partial class ChaosTests
{
    private static readonly string RestoreScript = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../restore.sh"));

    [Fact]
    [TakesTheDataBack]
    public async Task A_backup_taken_mid_burst_then_restored_over_the_data_brings_back_every_request_acknowledged_before_it_and_the_promotion_reconciles()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var burst = new ChaosBurst(graph.Frontend, "restore-" + Guid.NewGuid().ToString("N")[..6], signUps: 60, orders: 20);
        var running = burst.RunAsync(30);
        await burst.ThirdAcknowledged.WaitAsync(cancel.Token);

        // The notifier is down from before the backup to the restore: sign-ups it never decided wait in the broker,
        // whose queues the restore empties, so only the API's reconciliation can bring them to a final status.
        await graph.KillAsync("notifier");
        var ordersBefore = burst.Orders.ToList();
        var signUpsBefore = burst.SignUps.ToList();
        var clock = Stopwatch.StartNew();
        var backup = await graph.App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync("api", "backup", cancel.Token);
        var backupTook = clock.Elapsed;
        Assert.True(backup.Success, backup.Message);
        await running;

        // The stack stopped, as ./restore.sh asks: the API killed, as a crash would leave it.
        await graph.KillAsync("api");
        await graph.StopAsync("messaging", cancel.Token);

        var data = Path.GetDirectoryName(Path.GetDirectoryName(graph.ApiDatabasePath))!;
        var set = Assert.Single(Directory.GetDirectories(Path.Combine(data, "backups")));
        var restore = await RunAsync(RestoreScript, Path.GetFileName(set), ("EVENTBOOKING_DATA", data));
        Assert.True(restore.ExitCode == 0, restore.Output);
        SqliteConnection.ClearAllPools(); // this process's pooled connections still read the files the restore moved aside
        // All at once, as ./run.sh starts them: the services connect to the broker whenever it is up.
        await Task.WhenAll(new[] { "messaging", "api", "notifier" }.Select(async resource =>
        {
            await graph.StartAgainAsync(resource, cancel.Token);
            await graph.WaitUntilHealthyAsync(resource, cancel.Token);
        }));

        // Every order and sign-up acknowledged before the backup is stored; the reconciled promotion keeps its promises.
        using (var db = graph.OpenApiDatabase())
        {
            var references = db.Rows("""SELECT "Reference" FROM "Orders" WHERE "EmailNormalized" LIKE @prefix || '%'""", row => row.GetString(0),
                ("prefix", burst.EmailPrefix)).ToHashSet();
            Assert.Subset(references, ordersBefore.Select(o => o.Reference).ToHashSet());
        }

        var registrations = await PromoInvariants.AllFinalAsync(graph, TimeSpan.FromSeconds(90));
        Assert.Subset(registrations.Select(r => r.Email).ToHashSet(), signUpsBefore.Select(s => s.Email).ToHashSet());
        PromoInvariants.AssertHold(graph, TotalCodes);
        Assert.False(File.Exists(Path.Combine(data, "restored.json")), "the API reconciled once and removed the restore marker");
        // Anywhere in its log: its attempts to reach the broker while it was starting come after the line.
        Assert.Contains(graph.Logs, l => l.Resource == "api" && l.Line.Contains("went to the notifier again", StringComparison.Ordinal));
        output.WriteLine($"backup of {ordersBefore.Count}+ orders and {signUpsBefore.Count}+ sign-ups mid-burst in {backupTook.TotalMilliseconds:0} ms " +
            $"({backup.Message}); restore: {restore.Output.Trim().Replace('\n', ' ')}");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string script, string argument, (string Name, string Value) variable)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, ArgumentList = { script, argument } };
        start.Environment[variable.Name] = variable.Value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}
