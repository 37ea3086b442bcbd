using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;

namespace EventBooking.LoadTest;

/// <summary>
/// The dev mail server's inbox (smtp4dev), read as people read theirs: every quarter second the newest mails are
/// listed, and only the new confirmation mails are opened, for their links. What this costs smtp4dev counts as tool CPU.
/// </summary>
public sealed class DevInbox : Inbox, IAsyncDisposable
{
    private const int PageSize = 500;
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);

    private readonly HttpClient _web;
    private readonly HashSet<string> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Lazy<Task> _reading;

    /// <summary>Reads nothing until a link is wanted: with confirmation off, the bench costs the mail server nothing.</summary>
    public DevInbox(Uri web)
    {
        _web = new HttpClient { BaseAddress = web, Timeout = TimeSpan.FromSeconds(30) };
        _reading = new Lazy<Task>(() => ReadAsync(_stop.Token));
    }

    protected override void Wanted() => _ = _reading.Value;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_reading.IsValueCreated)
            {
                await _reading.Value;
            }
        }
        catch (OperationCanceledException)
        {
            // stopped as asked
        }

        _stop.Dispose();
        _web.Dispose();
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Every);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                await ReadNewAsync(cancellationToken);
            }
            catch (Exception unreadable) when (unreadable is HttpRequestException or JsonException
                || (unreadable is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // A slow or half-written answer (an HTTP timeout, a list cut off) is a moment to wait, not the end of
                // the reading: the people whose links are missing wait, and the next tick tries again.
                Console.Error.WriteLine($"  inbox: {unreadable.GetType().Name}: {unreadable.Message}");
            }
        }
    }

    /// <summary>Pages through the newest mails until one already seen.</summary>
    private async Task ReadNewAsync(CancellationToken cancellationToken)
    {
        for (var page = 1; ; page++)
        {
            var list = await _web.GetFromJsonAsync<JsonElement>(
                $"/api/messages?sortColumn=receivedDate&sortIsDescending=true&page={page}&pageSize={PageSize}", cancellationToken);
            var mails = list.GetProperty("results").EnumerateArray().ToList();
            var fresh = mails.Where(m => !_seen.Contains(m.GetProperty("id").GetString()!)).ToList();
            await Task.WhenAll(fresh.Select(async summary =>
            {
                if (summary.GetProperty("subject").GetString()?.Contains("Confirm", StringComparison.Ordinal) != true)
                {
                    Skipped();
                    return;
                }

                await using var raw = await _web.GetStreamAsync($"/api/messages/{summary.GetProperty("id").GetString()}/raw", cancellationToken);
                Received(await MimeMessage.LoadAsync(raw, cancellationToken));
            }));
            _seen.UnionWith(fresh.Select(m => m.GetProperty("id").GetString()!));
            if (fresh.Count < mails.Count || mails.Count < PageSize)
            {
                return;
            }
        }
    }
}
