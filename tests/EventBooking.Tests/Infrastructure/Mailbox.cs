using System.Collections.Concurrent;
using System.Text.Json;
using MimeKit;

namespace EventBooking.Tests.Infrastructure;

/// <summary>The dev mail server's inbox, read through its HTTP API (smtp4dev: /api/messages, /api/messages/{id}/raw).</summary>
public sealed class Mailbox(HttpClient web)
{
    /// <summary>
    /// Mails already read, by the server's id (a stored mail never changes): a wait polls the list, and only new mails
    /// are fetched and parsed. Reading every mail at every poll cost the dev mail server and the tests whole seconds
    /// of CPU once a graph had hundreds.
    /// </summary>
    private readonly ConcurrentDictionary<string, MimeMessage> _read = new();

    /// <summary>Every mail the server has accepted, parsed from its raw MIME, with the addresses it was delivered to.</summary>
    public async Task<List<MimeMessage>> AllAsync(CancellationToken cancellationToken = default)
    {
        var list = await web.GetFromJsonAsync<JsonElement>("/api/messages?page=1&pageSize=5000", cancellationToken);
        var ids = list.GetProperty("results").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToList();
        var messages = await Task.WhenAll(ids.Select(async id =>
        {
            if (_read.TryGetValue(id, out var known))
            {
                return known;
            }

            await using var raw = await web.GetStreamAsync($"/api/messages/{id}/raw", cancellationToken);
            return _read[id] = await MimeMessage.LoadAsync(raw, cancellationToken);
        }));
        return [.. messages];
    }

    /// <summary>Waits until <paramref name="done"/> holds for the inbox (mail is sent in the background), then returns it.</summary>
    public async Task<List<MimeMessage>> WaitForAsync(Func<List<MimeMessage>, bool> done, TimeSpan timeout, string because) =>
        (await Eventually.ReturnsAsync(ReadAsync, inbox => inbox.Failure is null && done(inbox.Mails), timeout, because)).Mails;

    /// <summary>
    /// The inbox now, or why it could not be read: a mail server just started again may answer 500 for a message it
    /// is still storing, which is a moment to wait, not a failure of what is under test.
    /// </summary>
    private async Task<Snapshot> ReadAsync()
    {
        try
        {
            return new Snapshot(await AllAsync());
        }
        catch (HttpRequestException unreadable)
        {
            return new Snapshot([], unreadable.Message);
        }
    }

    /// <summary>Described by recipients and subjects, should the wait time out.</summary>
    private sealed record Snapshot(List<MimeMessage> Mails, string? Failure = null)
    {
        public override string ToString() => Failure is not null
            ? $"the inbox could not be read: {Failure}"
            : $"{Mails.Count} mail(s): " + string.Join("; ", Mails.Take(30).Select(m => $"{m.To} \"{m.Subject}\""));
    }
}
