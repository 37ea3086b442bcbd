namespace EventBooking.FastTests.Rules;

/// <summary>One person, one place: the spellings a provider delivers to one mailbox are one identity.</summary>
public sealed class MailboxIdentityTests
{
    [Theory]
    // Gmail: dots and +tags ignored, googlemail.com is gmail.com, case ignored.
    [InlineData("me@gmail.com", "me@gmail.com")]
    [InlineData("m.e@gmail.com", "me@gmail.com")]
    [InlineData("M.e.X@gmail.com", "mex@gmail.com")]
    [InlineData("me+1@gmail.com", "me@gmail.com")]
    [InlineData("me+promo+2@gmail.com", "me@gmail.com")]
    [InlineData("m.e+x@gmail.com", "me@gmail.com")]
    [InlineData("ME@googlemail.com", "me@gmail.com")]
    [InlineData("m.e+tag@GoogleMail.com", "me@gmail.com")]
    [InlineData("  Me@Gmail.com ", "me@gmail.com")]
    // Outlook, Hotmail, Live: +tags ignored, dots kept, each domain its own mailboxes.
    [InlineData("ada+news@outlook.com", "ada@outlook.com")]
    [InlineData("a.da@outlook.com", "a.da@outlook.com")]
    [InlineData("ada+x@hotmail.com", "ada@hotmail.com")]
    [InlineData("ada@hotmail.com", "ada@hotmail.com")]
    [InlineData("ada+x@live.com", "ada@live.com")]
    [InlineData("ada+1@msn.com", "ada@msn.com")]
    [InlineData("ada+1@hotmail.co.uk", "ada@hotmail.co.uk")]
    // iCloud: me.com and mac.com are icloud.com; +tags ignored; dots kept.
    [InlineData("ada+x@icloud.com", "ada@icloud.com")]
    [InlineData("ada@me.com", "ada@icloud.com")]
    [InlineData("ada+y@mac.com", "ada@icloud.com")]
    [InlineData("a.da@icloud.com", "a.da@icloud.com")]
    // Proton: its domains are one; +tags ignored.
    [InlineData("ada+x@protonmail.com", "ada@proton.me")]
    [InlineData("ada@pm.me", "ada@proton.me")]
    [InlineData("ada@protonmail.ch", "ada@proton.me")]
    // Fastmail, Zoho, Yandex: +tags ignored.
    [InlineData("ada+x@fastmail.com", "ada@fastmail.com")]
    [InlineData("ada+x@zoho.com", "ada@zoho.com")]
    [InlineData("ada+x@yandex.com", "ada@yandex.ru")]
    [InlineData("ada@ya.ru", "ada@yandex.ru")]
    // Yahoo: basename-keyword addresses are one mailbox, apart from the basename's own account.
    [InlineData("base-shop@yahoo.com", "base-@yahoo.com")]
    [InlineData("base-news@yahoo.com", "base-@yahoo.com")]
    [InlineData("base@yahoo.com", "base@yahoo.com")]
    [InlineData("b.ase@yahoo.com", "b.ase@yahoo.com")]
    [InlineData("base+x@yahoo.com", "base+x@yahoo.com")]
    // Providers not in the table keep dots and tags: a company's server may deliver them anywhere.
    [InlineData("a.da+x@example.com", "a.da+x@example.com")]
    [InlineData("ada-x@example.com", "ada-x@example.com")]
    [InlineData("m.e@workspace-company.com", "m.e@workspace-company.com")]
    // A tag separator at the start is part of the name, not a tag.
    [InlineData("+ada@gmail.com", "+ada@gmail.com")]
    [InlineData("-ada@yahoo.com", "-ada@yahoo.com")]
    // Internationalised domains in one form (punycode), local parts in composed form and lower case.
    [InlineData("ada@BÜCHER.example", "ada@xn--bcher-kva.example")]
    [InlineData("ada@xn--bcher-kva.example", "ada@xn--bcher-kva.example")]
    [InlineData("JOSE\u0301@example.com", "jos\u00e9@example.com")]
    [InlineData("jos\u00e9@example.com", "jos\u00e9@example.com")]
    public void Spellings_a_provider_delivers_to_one_mailbox_are_one_identity(string email, string identity) =>
        Assert.Equal(identity, MailboxIdentity.Of(email));

    [Theory]
    [InlineData("ada@gmail.com", true)]
    [InlineData("ada@googlemail.com", true)]
    [InlineData("ada@outlook.com", true)]
    [InlineData("ada@yahoo.com", true)]
    [InlineData("ada@gmx.de", true)]
    [InlineData("ada@example.com", false)]
    [InlineData("ada@my-own-domain.org", false)]
    public void Public_mail_providers_are_told_apart_from_a_domain_of_ones_own(string email, bool isPublic) =>
        Assert.Equal(isPublic, MailboxIdentity.IsPublicProvider(MailboxIdentity.DomainOf(MailboxIdentity.Of(email))));
}
