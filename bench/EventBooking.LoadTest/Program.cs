using System.Runtime.InteropServices;
using EventBooking.LoadTest;

return await LoadTestOptions.Command(RunAsync).Parse(args).InvokeAsync();

static async Task<int> RunAsync(LoadTestOptions options, CancellationToken cancellationToken)
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue })
    {
        BaseAddress = options.Url ?? LocalStack.Site,
        Timeout = TimeSpan.FromSeconds(30),
    };

    // People read their confirmation links from the sink when the services send there, else from the dev mail server
    // (which stops with the stack: its reader goes first).
    await using var sink = options.MailSink ? MailSink.Start() : null;
    var settings = (sink?.AppHostArguments ?? []).Concat(options.Gates ? [] : LocalStack.GatesOff)
        .Concat(options.Codes is { } codes ? [$"--Promo:TotalCodes={codes}"] : []);
    await using var stack = options.Url is null ? await LocalStack.StartAsync(http, options.Shape, settings) : null;
    await using var devInbox = sink is null ? new DevInbox(options.Inbox) : null;
    // Ctrl+C or SIGTERM: stop the stack this run started before the process ends.
    using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => stack?.Stop());
    using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => stack?.Stop());
    var results = await Bench.RunAsync(options, http, (Inbox?)sink ?? devInbox!);

    var machine = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    var report = new Report(results, machine, $"bench/EventBooking.LoadTest {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}");
    Console.WriteLine();
    Console.WriteLine(report.ToMarkdown());
    Console.WriteLine($"Written to {report.Save(options.Out)} (and .json)");
    return report.Succeeded ? 0 : 1;
}
