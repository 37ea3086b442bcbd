using System.CommandLine;

namespace EventBooking.LoadTest;

public sealed record LoadTestOptions(string Scenario)
{
    public static readonly string[] Scenarios = ["standard", "baseline", "orders", "promo-burst", "sockets", "admin-queries"];

    public static readonly string[] Shapes = ["default", "scale-out"];

    public Uri? Url { get; init; }

    /// <summary>The stack this run starts: default (SQLite, one process each) or scale-out (PostgreSQL, 2 APIs, 2 notifiers).</summary>
    public string Shape { get; init; } = "default";

    public int? Count { get; init; }

    public int? Concurrency { get; init; }

    /// <summary>Open loop (orders, promo-burst): arrivals per second, for <see cref="Duration"/>; see <see cref="Load"/>.</summary>
    public int? Rate { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    public int Sockets { get; init; } = 5_000;

    public int? ApiPid { get; init; }

    public int? NotifierPid { get; init; }

    public string Out { get; init; } = Path.Combine("bench", "results");

    /// <summary>The API's SQLite file, for scenarios that seed data directly (admin-queries).</summary>
    public string? Database { get; init; }

    public string ManagerEmail { get; init; } = "manager@eventbooking.local";

    /// <summary>The services send mail to a sink in this process instead of the dev mail server (smtp4dev).</summary>
    public bool MailSink { get; init; }

    /// <summary>The dev mail server's web address, where people read their confirmation links without a sink.</summary>
    public Uri Inbox { get; init; } = new("http://localhost:8025");

    /// <summary>The fair promotion's gates (domain cap, confirmed mailboxes, proof of work): on as shipped, or off.</summary>
    public bool Gates { get; init; } = true;

    /// <summary>The promotion's codes, when not as shipped (<c>--codes</c>).</summary>
    public int? Codes { get; init; }

    public string? ManagerPassword { get; init; }

    /// <summary>The command line (System.CommandLine: validation, errors and --help); <paramref name="run"/> gets the options.</summary>
    public static RootCommand Command(Func<LoadTestOptions, CancellationToken, Task<int>> run)
    {
        var scenario = new Argument<string>("scenario")
        {
            Description = "standard (baseline, sockets, orders, promo-burst), baseline, orders, promo-burst, sockets or admin-queries",
        };
        scenario.AcceptOnlyFromAmong(Scenarios);
        var url = new Option<Uri?>("--url")
        {
            Description = "Benchmark a running site; without it a fresh stack is started with ./run.sh (Release).",
            CustomParser = ParseAddress,
        };
        var shape = new Option<string>("--shape")
        {
            Description = "The stack started: default (SQLite, one process each) or scale-out (PostgreSQL, two API replicas, two notifiers).",
            DefaultValueFactory = _ => "default",
        };
        shape.AcceptOnlyFromAmong(Shapes);
        var count = new Option<int?>("--count") { Description = "Requests (sign-ups, orders) per scenario; default: promo-burst 10000, orders 5000." };
        var concurrency = new Option<int?>("--concurrency") { Description = "Concurrent clients; default: promo-burst 500, orders 100, sockets 100." };
        var rate = new Option<int?>("--rate")
        {
            Description = "Open loop for orders and promo-burst: this many arrivals per second, on a schedule, whatever the answers; latency from the scheduled moment.",
        };
        rate.Validators.Add(result => { if (result.GetValue(rate) is <= 0) { result.AddError("--rate must be positive."); } });
        var duration = new Option<int>("--duration") { Description = "Seconds an open-loop run lasts.", DefaultValueFactory = _ => 30 };
        duration.Validators.Add(result => { if (result.GetValue(duration) <= 0) { result.AddError("--duration must be positive."); } });
        var sockets = new Option<int>("--sockets") { Description = "Sockets held open by the sockets scenario.", DefaultValueFactory = _ => 5_000 };
        var apiPid = new Option<int?>("--api-pid") { Description = "The API process, when more than one stack runs on this machine." };
        var notifierPid = new Option<int?>("--notifier-pid") { Description = "The notifier process, likewise." };
        var output = new Option<string?>("--out") { Description = "Where latest.md and latest.json go (default: bench/results, scale-out: bench/results/scale-out)." };
        var database = new Option<string?>("--database") { Description = "admin-queries: the API's SQLite file, seeded with --count orders." };
        var managerEmail = new Option<string>("--manager-email") { Description = "admin-queries: who signs in.", DefaultValueFactory = _ => "manager@eventbooking.local" };
        var mailSink = new Option<bool>("--mail-sink")
        {
            Description = "Send the services' mail to a minimal SMTP sink in this process instead of the dev mail server, so the product's mail cost is measured without the dev inbox's.",
        };
        var inbox = new Option<Uri>("--inbox")
        {
            Description = "Where people read their confirmation links without --mail-sink: the dev mail server's web address.",
            DefaultValueFactory = _ => new Uri("http://localhost:8025"),
            CustomParser = result => ParseAddress(result)!,
        };
        var gates = new Option<string>("--gates")
        {
            Description = "The fair promotion's gates for the stack this run starts: on (as shipped: confirmed mailboxes, proof of work, domain cap) or off (sign-ups straight into the queue).",
            DefaultValueFactory = _ => "on",
        };
        gates.AcceptOnlyFromAmong("on", "off");
        var codes = new Option<int?>("--codes")
        {
            Description = "The promotion's codes for the stack this run starts (as shipped: 10). With more codes than people, each measured person goes the whole way (confirmation, queue, code mail) instead of hearing at once that the codes are gone.",
        };
        codes.Validators.Add(result => { if (result.GetValue(codes) is <= 0) { result.AddError("--codes must be positive."); } });

        var command = new RootCommand("EventBooking load test: throughput, latency and CPU per process, against baselines measured in the same run.")
        {
            scenario, url, shape, count, concurrency, rate, duration, sockets, apiPid, notifierPid, output, database, managerEmail, mailSink, inbox, gates, codes,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(url) is { Implicit: false } && (result.GetValue(mailSink) || result.GetResult(gates) is { Implicit: false } || result.GetValue(codes) is not null))
            {
                result.AddError("--mail-sink, --gates and --codes set up the stack this run starts: they cannot change one given with --url.");
            }
        });
        command.SetAction((parsed, cancellationToken) => run(
            new LoadTestOptions(parsed.GetValue(scenario)!)
            {
                Url = parsed.GetValue(url),
                Shape = parsed.GetValue(shape)!,
                Count = parsed.GetValue(count),
                Concurrency = parsed.GetValue(concurrency),
                Rate = parsed.GetValue(rate),
                Duration = TimeSpan.FromSeconds(parsed.GetValue(duration)),
                Sockets = parsed.GetValue(sockets),
                ApiPid = parsed.GetValue(apiPid),
                NotifierPid = parsed.GetValue(notifierPid),
                Out = parsed.GetValue(output) ?? Path.Combine(["bench", "results", .. parsed.GetValue(shape) == "scale-out" ? ["scale-out"] : Array.Empty<string>()]),
                Database = parsed.GetValue(database),
                ManagerEmail = parsed.GetValue(managerEmail)!,
                MailSink = parsed.GetValue(mailSink),
                Inbox = parsed.GetValue(inbox)!,
                Gates = parsed.GetValue(gates) == "on",
                Codes = parsed.GetValue(codes),
                // Not a command-line argument: it would show in the process list and the shell history.
                ManagerPassword = Environment.GetEnvironmentVariable("EVENTBOOKING_MANAGER_PASSWORD"),
            },
            cancellationToken));
        return command;
    }

    /// <summary>An absolute http(s) address (System.CommandLine has no converter for <see cref="Uri"/>).</summary>
    private static Uri? ParseAddress(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var address) && address.Scheme is "http" or "https")
        {
            return address;
        }

        result.AddError($"'{text}' is not an http:// or https:// address.");
        return null;
    }
}
