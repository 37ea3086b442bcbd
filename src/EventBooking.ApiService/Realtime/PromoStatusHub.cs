using System.Collections.Concurrent;
using System.Threading.Channels;
using EventBooking.ApiService.Promo;
using EventBooking.Messaging;

namespace EventBooking.ApiService.Realtime;

/// <summary>
/// The WebSockets this API process serves, by registration. Any replica receives every status (see
/// PromoStatusConsumer), so whichever one holds a client's socket can push to it.
/// </summary>
public sealed class PromoStatusHub
{
    /// <summary>How long a final status is kept for sockets that open after it was pushed.</summary>
    private static readonly TimeSpan RecentFinalsKept = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<StatusWatcher, byte>> _watchers = new();
    private readonly ConcurrentDictionary<string, PromoStatusDocument> _recentFinals = new();
    private readonly ConcurrentQueue<(string RegistrationId, long At)> _recentFinalsByAge = new();
    private int _queueChanged;
    private int _waitingOnConfirmations;
    private double? _secondsPerDecision;
    private DateTime? _lastDecisionAt;

    public int WatcherCount => _watchers.Values.Sum(set => set.Count);

    /// <summary>
    /// Seconds until a request with <paramref name="position"/> others ahead is decided, from the measured pace of
    /// decisions (exponentially smoothed); none until there is a pace.
    /// </summary>
    public double? EtaFor(int? position) =>
        position is { } ahead && _secondsPerDecision is { } pace ? Math.Round((ahead + 1) * pace, 1) : null;

    /// <summary>
    /// Registers a socket's watcher. A decision can be pushed between the sign-up and the socket opening, before
    /// it is stored: the watcher then starts from the remembered final status instead of waiting for it forever.
    /// </summary>
    public StatusWatcher Watch(string registrationId, long sequence)
    {
        var watcher = new StatusWatcher(registrationId, sequence, this);
        _watchers.GetOrAdd(registrationId, _ => new()).TryAdd(watcher, 0);
        if (_recentFinals.TryGetValue(registrationId, out var final))
        {
            watcher.Offer(final);
        }

        return watcher;
    }

    public void Publish(PromoStatusDocument status)
    {
        // Remembered before the watchers are read: a socket registering meanwhile sees one or the other.
        if (status.IsFinal)
        {
            RememberFinal(status);
        }

        if (_watchers.TryGetValue(status.RegistrationId, out var watchers))
        {
            foreach (var watcher in watchers.Keys)
            {
                watcher.Offer(status);
            }
        }
    }

    /// <summary>The sockets of sign-ups still waiting for their turn (confirmed or not).</summary>
    /// <remarks>Enumerated in place: a dictionary's Keys copies them, under all its locks, at every pass.</remarks>
    public IEnumerable<StatusWatcher> WaitingWatchers() =>
        _watchers.SelectMany(entry => entry.Value).Select(pair => pair.Key).Where(w => w.Current is { } current && current.Status.IsWaiting());

    /// <summary>
    /// Whether a socket here shows a wait on confirmations (its own, or someone's ahead), which change no status this
    /// replica hears of. Counted as documents are offered, so thousands of waiting pages are not walked to find out.
    /// </summary>
    public bool AnyWaitOnConfirmations => Volatile.Read(ref _waitingOnConfirmations) > 0;

    internal void WaitOnConfirmationsChanged(bool waits) => Interlocked.Add(ref _waitingOnConfirmations, waits ? 1 : -1);

    /// <summary>Called when stored statuses change, so queue positions are recomputed.</summary>
    public void QueueChanged() => Interlocked.Exchange(ref _queueChanged, 1);

    public bool TakeQueueChanged() => Interlocked.Exchange(ref _queueChanged, 0) == 1;

    public void DecisionObserved(DateTime at)
    {
        lock (_watchers)
        {
            if (_lastDecisionAt is { } last && at > last)
            {
                var interval = (at - last).TotalSeconds;
                _secondsPerDecision = _secondsPerDecision is { } previous ? (0.8 * previous) + (0.2 * interval) : interval;
            }

            if (_lastDecisionAt is null || at > _lastDecisionAt)
            {
                _lastDecisionAt = at;
            }
        }
    }

    private void RememberFinal(PromoStatusDocument status)
    {
        var now = Environment.TickCount64;
        _recentFinals[status.RegistrationId] = status;
        _recentFinalsByAge.Enqueue((status.RegistrationId, now));
        while (_recentFinalsByAge.TryPeek(out var oldest) && now - oldest.At > RecentFinalsKept.TotalMilliseconds
            && _recentFinalsByAge.TryDequeue(out oldest))
        {
            _recentFinals.TryRemove(oldest.RegistrationId, out _);
        }
    }

    internal void Remove(StatusWatcher watcher)
    {
        if (_watchers.TryGetValue(watcher.RegistrationId, out var set))
        {
            set.TryRemove(watcher, out _);
            if (set.IsEmpty)
            {
                _watchers.TryRemove(new KeyValuePair<string, ConcurrentDictionary<StatusWatcher, byte>>(watcher.RegistrationId, set));
            }
        }
    }
}

/// <summary>
/// One open WebSocket's view of a registration. Its queue is small and keeps only the newest documents: each
/// document is the whole state, so a slow reader skips stale steps instead of growing server memory.
/// </summary>
public sealed class StatusWatcher(string registrationId, long sequence, PromoStatusHub hub) : IDisposable
{
    private readonly Channel<PromoStatusDocument> _outbox = Channel.CreateBounded<PromoStatusDocument>(
        new BoundedChannelOptions(8) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly Lock _gate = new();
    private bool _disposed;

    public string RegistrationId { get; } = registrationId;

    public long Sequence { get; } = sequence;

    public PromoStatusDocument? Current { get; private set; }

    public ChannelReader<PromoStatusDocument> Updates => _outbox.Reader;

    /// <summary>Queues the document unless it is older than, or the same as, what this client already has.</summary>
    public bool Offer(PromoStatusDocument status)
    {
        lock (_gate)
        {
            if (_disposed || (Current is { } current && (status.Version < current.Version || (status.Version == current.Version && status == current))))
            {
                return false;
            }

            if (WaitsOnConfirmations(Current) != WaitsOnConfirmations(status))
            {
                hub.WaitOnConfirmationsChanged(WaitsOnConfirmations(status));
            }

            Current = status;
            _outbox.Writer.TryWrite(status);
            return true;
        }
    }

    /// <summary>Waiting on someone's confirmation: its own, or of people ahead in the queue.</summary>
    public static bool WaitsOnConfirmations(PromoStatusDocument? status) =>
        status is not null && status.Status.IsWaiting() && (status.Status == PromoStatus.AwaitingConfirmation || status.UnconfirmedAhead > 0);

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (WaitsOnConfirmations(Current))
            {
                hub.WaitOnConfirmationsChanged(false);
            }
        }

        _outbox.Writer.TryComplete();
        hub.Remove(this);
    }
}
