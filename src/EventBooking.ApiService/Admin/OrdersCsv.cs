using System.Globalization;
using CsvHelper;
using EventBooking.ApiService.Validation;

namespace EventBooking.ApiService.Admin;

/// <summary>
/// The orders export: RFC 4180 (CsvHelper), UTF-8 with a byte-order mark so spreadsheets read accents, and safe to
/// open: a cell starting with = + - @ (or a tab or carriage return) gets a leading apostrophe, so a client's
/// "=HYPERLINK(...)" is shown, never run.
/// </summary>
public static class OrdersCsv
{
    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        Injection = CsvInjection.Escape,
        WriteByteOrderMark = true,
    };

    private static readonly string[] Header =
    [
        "Reference", "Status", "Created (UTC)", "Name", "Email", "Phone", "Event type", "Event date", "Guests",
        "City or venue", "Budget", "Notes", "Consent to contact", "Promo code",
    ];

    /// <summary>Row by row from <paramref name="orders"/> to <paramref name="body"/>: memory stays flat whatever the count.</summary>
    public static async Task WriteAsync(Stream body, IAsyncEnumerable<Order> orders, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(body, Options, leaveOpen: true);
        csv.WriteHeader(Header);
        await foreach (var order in orders.WithCancellation(cancellationToken))
        {
            await csv.WriteRecordAsync(Row(order), cancellationToken);
        }
    }

    private static string[] Row(Order o) =>
    [
        o.Reference, WireEnum<OrderStatus>.NameOf(o.Status), o.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        o.CustomerName, o.Email, o.Phone ?? string.Empty, WireEnum<EventType>.NameOf(o.EventType), o.EventDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        o.GuestCount.ToString(CultureInfo.InvariantCulture), o.Venue ?? string.Empty,
        o.BudgetRange is { } budget ? WireEnum<BudgetRange>.NameOf(budget) : string.Empty, o.Notes ?? string.Empty, o.ConsentToContact ? "yes" : "no",
        o.PromoCode ?? string.Empty,
    ];
}
