using EventBooking.Tests.Orders;
using MimeKit;

namespace EventBooking.Tests.Promo;

/// <summary>Someone who won a code in a graph's queue, and what their code mail says.</summary>
public sealed record Winner(string Email, string Code, MimeMessage CodeMail);

public static class Winners
{
    public const string CodeMailSubject = "Your EventBooking promo code";

    /// <summary>
    /// A winner whose code no order holds yet, with their code read from their mail: a new sign-up if codes are left
    /// (the graphs decide at once), else the earliest earlier winner whose code is still free.
    /// </summary>
    public static async Task<Winner> NewWinnerAsync(this GraphFixture graph, TimeSpan timeout)
    {
        var email = OrderRequests.UniqueEmail("winner");
        var signUp = await graph.Frontend.SignUpAsync(email, "Winner");
        var final = await graph.Frontend.FinalStatusAsync(signUp.RegistrationId, timeout);
        if (final.GetProperty("status").GetString() != "CodeIssued")
        {
            using var db = graph.OpenApiDatabase();
            email = db.Rows("""
                SELECT "Email" FROM "PromoRegistrations" r
                WHERE "Status" = 'CodeIssued' AND NOT EXISTS (SELECT 1 FROM "Orders" o WHERE o."PromoCode" = r."Code")
                ORDER BY "Sequence" LIMIT 1
                """, row => row.GetString(0)).Single();
        }

        bool IsCodeMail(MimeMessage m) => m.Subject == CodeMailSubject && m.To.Mailboxes.Any(to => to.Address == email);
        var mail = (await graph.Mailbox.WaitForAsync(all => all.Any(IsCodeMail), timeout, $"the code mail to {email}")).First(IsCodeMail);
        var code = System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? "", @"EVT-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}").Value;
        return new Winner(email, code, mail);
    }
}
