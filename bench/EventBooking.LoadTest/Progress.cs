namespace EventBooking.LoadTest;

/// <summary>A status line on stderr every two seconds while a scenario runs, so a long run is never silent.</summary>
public sealed class Progress : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly string _label;
    private readonly Func<string> _status;
    private readonly Timer _timer;

    private Progress(string label, Func<string> status)
    {
        _label = label;
        _status = status;
        _timer = new Timer(_ => Print(), null, Interval, Interval);
    }

    /// <summary>The smoke tests turn it off to keep their output short.</summary>
    public static bool Enabled { get; set; } = true;

    public static IDisposable Show(string label, Func<string> status) =>
        Enabled ? new Progress(label, status) : NoProgress.Instance;

    private void Print() => Console.Error.WriteLine($"  [{DateTime.Now:HH:mm:ss}] {_label}: {_status()}");

    public void Dispose()
    {
        _timer.Dispose();
        Print();
    }

    private sealed class NoProgress : IDisposable
    {
        public static readonly NoProgress Instance = new();

        public void Dispose()
        {
        }
    }
}
