namespace EventBooking.FastTests.Rules;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("Ada@Example.com", "ada@example.com")]
    [InlineData("  ada@example.com  ", "ada@example.com")]
    [InlineData("JOSE\u0301@example.com", "jos\u00e9@example.com")]
    public void Spellings_of_one_mailbox_normalise_to_one_address(string spelling, string normalised) =>
        Assert.Equal(normalised, EmailAddress.Normalize(spelling));

    [Theory]
    [InlineData("ada\u200B@example.com")]
    [InlineData("ada\u200D@example.com")]
    [InlineData("\uFEFFada@example.com")]
    [InlineData("ada@exa\u202Emple.com")]
    [InlineData("ada\u2060@example.com")]
    [InlineData("ada\u0007@example.com")]
    public void Invisible_and_control_characters_are_found(string email) =>
        Assert.True(EmailAddress.HasInvisibleCharacters(email));

    [Theory]
    [InlineData("ada@example.com")]
    [InlineData("jos\u00e9@example.com")]
    [InlineData("\u674e\u96f7@example.cn")]
    public void Ordinary_addresses_have_none(string email) =>
        Assert.False(EmailAddress.HasInvisibleCharacters(email));

    [Theory]
    [InlineData("ada@example.com")]
    [InlineData("a.da+tag@example.co.uk")]
    [InlineData("jos\u00e9@example.com")]
    [InlineData("ada@b\u00fccher.example")]
    [InlineData("o'brien@example.ie")]
    [InlineData("  ada@example.com  ")]
    public void Addresses_the_mail_library_can_send_to_are_accepted(string email) =>
        Assert.Null(EmailAddress.Problem(email));

    [Theory]
    [InlineData("x.@example.com")] // a dot before the @: .NET's MailAddress takes it, MimeKit refuses to send to it
    [InlineData(".x@example.com")]
    [InlineData("x..y@example.com")]
    [InlineData("ada@example")]
    [InlineData("ada@example.com.")]
    [InlineData("ada@.example.com")]
    [InlineData("ada")]
    [InlineData("@example.com")]
    [InlineData("ada@")]
    [InlineData("a b@example.com")]
    [InlineData("Ada <ada@example.com>")]
    [InlineData("ada@example.com, bob@example.com")]
    [InlineData("ada@[192.0.2.1]")]
    [InlineData("ada@@example.com")]
    public void Anything_else_is_not_an_address(string email) =>
        Assert.Equal(EmailAddress.NotAnAddress, EmailAddress.Problem(email));

    [Theory]
    [InlineData("ada\u200B@example.com")]
    [InlineData("\uFFFE")]
    [InlineData("ada@exa\u202Emple.com")]
    public void Invisible_characters_are_named_as_the_problem(string email) =>
        Assert.Equal(EmailAddress.InvisibleCharacters, EmailAddress.Problem(email));

    [Fact]
    public void A_lone_surrogate_is_an_invisible_character() =>
        Assert.Equal(EmailAddress.InvisibleCharacters, EmailAddress.Problem("ada" + '\uD800' + "@example.com"));

    [Fact]
    public void An_address_longer_than_254_characters_is_refused() =>
        Assert.Equal(EmailAddress.NotAnAddress, EmailAddress.Problem(new string('a', 64) + "@" + new string('b', 190) + ".com"));
}
