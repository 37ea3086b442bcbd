using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EventBooking.LoadTest;

/// <summary>
/// The summary of a run: one table (Markdown, also printed) and the same figures as JSON. Product throughput is
/// also given as a ratio to the two baselines measured at the same concurrency in the same run, because absolute
/// numbers drift between runs and machines.
/// </summary>
public sealed class Report(IReadOnlyList<ScenarioResult> results, string machine, string command)
{
    public const string NoIoBaseline = "baseline no-io";
    public const string SqliteRowBaseline = "baseline sqlite-row";

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public DateTimeOffset At { get; } = DateTimeOffset.Now;

    public bool Succeeded => results.All(r => r.Succeeded);

    public double? Ratio(ScenarioResult result, string baseline) =>
        result.HasRate && result.OfferedRate is null && !result.Scenario.StartsWith("baseline", StringComparison.Ordinal)
        && results.FirstOrDefault(b => b.Scenario == baseline && b.Concurrency == result.Concurrency) is { } found
            ? result.PerSecond / found.PerSecond
            : null;

    public string ToMarkdown()
    {
        var md = new StringBuilder()
            .AppendLine(C, $"Machine: {machine}. Command: `{command}`. Run at {At:yyyy-MM-dd HH:mm zzz}.")
            .AppendLine()
            .AppendLine("| scenario | n | c | errors | per s | × sqlite-row | × no-io | timed | p50 ms | p95 ms | p99 ms | max ms |")
            .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            md.AppendLine(C, $"| {r.Scenario} | {r.Count:N0} | {(r.OfferedRate is { } rate ? $"open {rate:N0}/s" : r.Concurrency.ToString(C))} | {r.Errors + r.FailedChecks} | {(r.HasRate ? r.PerSecond.ToString("N1", C) : "–")} | {Format(Ratio(r, SqliteRowBaseline))} | {Format(Ratio(r, NoIoBaseline))} | {r.Measures} | {r.Percentile(50):0.0} | {r.Percentile(95):0.0} | {r.Percentile(99):0.0} | {r.Max:0.0} |");
        }

        AppendCostTable(md);
        foreach (var r in results.Where(r => r.Figures.Count > 0 || r.Checks.Count > 0))
        {
            md.AppendLine().AppendLine(C, $"**{r.Scenario}** (n={r.Count:N0}, c={r.Concurrency})");
            foreach (var figure in r.Figures.Where(f => f.Unit != CpuUse.CostUnit))
            {
                md.AppendLine(C, $"- {figure.Name}: {figure.Value:#,0.##} {figure.Unit}");
            }

            foreach (var check in r.Checks)
            {
                md.AppendLine(C, $"- [{(check.Ok ? "x" : " ")}] {check.Name}{(check.Ok ? "" : " — FAILED")}");
            }
        }

        return md.ToString();
    }

    /// <summary>CPU milliseconds per operation, per process, for every scenario that measured it.</summary>
    private void AppendCostTable(StringBuilder md)
    {
        var costed = results.Where(r => r.Figures.Any(f => f.Unit == CpuUse.CostUnit)).ToList();
        var parts = costed.SelectMany(r => r.Figures).Where(f => f.Unit == CpuUse.CostUnit).Select(f => f.Name[CpuUse.CostPrefix.Length..]).Distinct().ToList();
        if (parts.Count == 0)
        {
            return;
        }

        md.AppendLine().AppendLine("CPU cost per operation (ms of CPU time, per process, from /proc):").AppendLine()
            .AppendLine(C, $"| scenario | {string.Join(" | ", parts)} |")
            .AppendLine(C, $"| --- |{string.Concat(parts.Select(_ => " ---: |"))}");
        foreach (var r in costed)
        {
            var cost = r.Figures.Where(f => f.Unit == CpuUse.CostUnit).ToDictionary(f => f.Name[CpuUse.CostPrefix.Length..], f => f.Value);
            md.AppendLine(C, $"| {r.Scenario} | {string.Join(" | ", parts.Select(p => cost.TryGetValue(p, out var ms) ? ms.ToString("0.000", C) : "–"))} |");
        }
    }

    public string ToJson() => JsonSerializer.Serialize(new
    {
        at = At,
        machine,
        command,
        succeeded = Succeeded,
        scenarios = results.Select(r => new
        {
            scenario = r.Scenario,
            count = r.Count,
            concurrency = r.OfferedRate is null ? r.Concurrency : (int?)null,
            offeredPerSecond = r.OfferedRate,
            errors = r.Errors,
            failedChecks = r.FailedChecks,
            wallClockSeconds = Math.Round(r.WallClock.TotalSeconds, 3),
            perSecond = r.HasRate ? Math.Round(r.PerSecond, 1) : (double?)null,
            ratioToSqliteRow = Round(Ratio(r, SqliteRowBaseline)),
            ratioToNoIo = Round(Ratio(r, NoIoBaseline)),
            timed = r.Measures,
            milliseconds = new { p50 = Round(r.Percentile(50)), p95 = Round(r.Percentile(95)), p99 = Round(r.Percentile(99)), max = Round(r.Max) },
            figures = r.Figures.Where(f => f.Unit != CpuUse.CostUnit).Select(f => new { name = f.Name, value = Round(f.Value), unit = f.Unit }),
            cpuMsPerOperation = r.Figures.Where(f => f.Unit == CpuUse.CostUnit)
                .ToDictionary(f => f.Name[CpuUse.CostPrefix.Length..], f => double.IsFinite(f.Value) ? Math.Round(f.Value, 3) : (double?)null),
            checks = r.Checks.Select(c => new { name = c.Name, ok = c.Ok }),
        }),
    }, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Writes latest.md / latest.json and a timestamped copy of each; returns the Markdown path.</summary>
    public string Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var stamp = At.ToString("yyyyMMdd-HHmmss", C);
        var markdown = ToMarkdown();
        var json = ToJson();
        foreach (var name in new[] { "latest", stamp })
        {
            File.WriteAllText(Path.Combine(directory, $"{name}.md"), markdown);
            File.WriteAllText(Path.Combine(directory, $"{name}.json"), json);
        }

        return Path.Combine(directory, "latest.md");
    }

    private static string Format(double? ratio) => ratio is { } r ? r.ToString("0.00", C) + "×" : "–";

    private static double? Round(double? value) => value is { } v && double.IsFinite(v) ? Math.Round(v, 2) : null;
}
