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
}
