using EventBooking.FastTests.Infrastructure;
using MimeKit;

namespace EventBooking.FastTests.Mail;

/// <summary>The mails the API queued for one recipient, read from its outbox table as the sender would send them.</summary>
public static class QueuedMail
{
    public static List<(string Kind, MimeMessage Message)> For(ApiFactory api, string recipient)
    {
        using var db = api.OpenDatabase();
        using var query = db.CreateCommand();
        query.CommandText = "SELECT Kind, Mime FROM OutgoingMail WHERE Recipient = $recipient ORDER BY Id";
        query.Parameters.AddWithValue("$recipient", recipient);
        using var rows = query.ExecuteReader();
        var mails = new List<(string, MimeMessage)>();
        while (rows.Read())
        {
            mails.Add((rows.GetString(0), MimeMessage.Load(new MemoryStream((byte[])rows[1]))));
        }

        return mails;
    }
}
