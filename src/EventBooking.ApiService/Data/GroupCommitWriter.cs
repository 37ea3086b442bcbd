using System.Diagnostics;
using System.Threading.Channels;
using EventBooking.Data;

namespace EventBooking.ApiService.Data;

/// <summary>One item to store, with the trace of the request that asked for it.</summary>
public sealed record GroupItem<TItem>(TItem Item, string? TraceParent);

/// <summary>
/// A single writer for one kind of row. Concurrent requests queue here and are committed together: one SQLite
/// transaction (one fsync with synchronous=FULL) for everything that arrived meanwhile, instead of one each with
/// every writer polling for the database lock. Each request is answered only after its group is committed, so
/// its 201/202 still means durable. Items are stored in the order they were queued.
/// </summary>
public abstract class GroupCommitWriter<TItem, TResult>(IServiceScopeFactory scopes, ILogger logger) : BackgroundService
{
    private const int MaxGroup = 256;

    private sealed record Pending(GroupItem<TItem> Item, TaskCompletionSource<TResult> Stored);

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Queues the item and completes once its group is committed.</summary>
    public async Task<TResult> StoreAsync(TItem item, CancellationToken cancellationToken)
    {
        var pending = new Pending(new GroupItem<TItem>(item, Activity.Current?.Id), new(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Stored.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Adds the group to <paramref name="db"/> (inside the open transaction) and says what each item became.</summary>
    protected abstract Task<IReadOnlyList<TResult>> StoreGroupAsync(EventBookingDbContext db, IReadOnlyList<GroupItem<TItem>> group, CancellationToken cancellationToken);

    /// <summary>After the commit, before the requests are answered.</summary>
    protected virtual void OnCommitted(int groupSize)
    {
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<Pending>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            group.Clear();
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var pending))
            {
                group.Add(pending);
            }

            try
            {
                var results = await CommitAsync(group, stoppingToken);
                OnCommitted(group.Count);
                foreach (var (pending, result) in group.Zip(results))
                {
                    pending.Stored.TrySetResult(result);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Nothing of this group was committed: each request fails rather than being told "stored" (503 for a
                // full disk or an I/O error, which StorageHealth logs once, not once a group; 500 for anything else).
                logger.Log(StorageHealth.IsStorageFailure(ex) ? LogLevel.Debug : LogLevel.Error, ex,
                    "Could not store a group of {Count} {Type} item(s)", group.Count, typeof(TItem).Name);
                group.ForEach(pending => pending.Stored.TrySetException(ex));
            }
        }
    }

    private async Task<IReadOnlyList<TResult>> CommitAsync(List<Pending> group, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EventBookingDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var results = await StoreGroupAsync(db, group.ConvertAll(pending => pending.Item), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return results;
    }
}
