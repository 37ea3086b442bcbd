using System.ComponentModel.DataAnnotations;

namespace EventBooking.ApiService.Validation;

/// <summary>An email address the mail library can send to (the one rule: <see cref="EventBooking.EmailAddress"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class EmailAttribute() : ValidationAttribute(EventBooking.EmailAddress.NotAnAddress)
{
    public const int MaxLength = EventBooking.EmailAddress.MaxLength;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is not string text || string.IsNullOrWhiteSpace(text) // [Required] reports a missing value.
            || EventBooking.EmailAddress.Problem(text) is not { } problem
            ? ValidationResult.Success
            : new ValidationResult(problem, validationContext.MemberName is { } name ? [name] : []);
}

/// <summary>One of the wire names of <typeparamref name="TEnum"/> (see <see cref="WireEnum{TEnum}"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OneOfAttribute<TEnum>() : ValidationAttribute where TEnum : struct, Enum
{
    public override bool IsValid(object? value) =>
        value is not string text || string.IsNullOrWhiteSpace(text) || WireEnum<TEnum>.TryParse(text, out _);

    public override string FormatErrorMessage(string name) =>
        $"Choose one of: {string.Join(", ", WireEnum<TEnum>.Names)}.";
}

/// <summary>
/// Text a person typed: no control characters (NUL, escape, bidi overrides...) except line breaks and tabs
/// where <see cref="AllowLineBreaks"/> is set. Keeps stored values printable in the back office and in CSV.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PlainTextAttribute() : ValidationAttribute("Remove the invisible control characters from this field.")
{
    public bool AllowLineBreaks { get; init; }

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not string { Length: > 0 } text)
        {
            return ValidationResult.Success;
        }

        string[] members = validationContext.MemberName is { } name ? [name] : [];
        if (text.Any(IsForbidden))
        {
            return new ValidationResult(ErrorMessageString, members);
        }

        // Zero-width and other invisible characters alone would make a blank name that looks filled in.
        return text.All(c => char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            ? new ValidationResult("Type something visible in this field.", members)
            : ValidationResult.Success;
    }

    private bool IsForbidden(char c) =>
        (char.IsControl(c) && !(AllowLineBreaks && c is '\n' or '\r' or '\t'))
        || c is '\u202A' or '\u202B' or '\u202C' or '\u202D' or '\u202E' or '\u2066' or '\u2067' or '\u2068' or '\u2069';
}

/// <summary>A date from today (in the service's clock) up to <see cref="MaxYearsAhead"/> years ahead.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class UpcomingDateAttribute : ValidationAttribute
{
    public int MaxYearsAhead { get; init; } = 3;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not DateOnly date)
        {
            return ValidationResult.Success;
        }

        var clock = validationContext.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var members = validationContext.MemberName is { } member ? new[] { member } : null;

        if (date < today)
        {
            return new ValidationResult("The event date is in the past. Choose today or a later date.", members);
        }

        return date > today.AddYears(MaxYearsAhead)
            ? new ValidationResult($"We take bookings up to {MaxYearsAhead} years ahead. Choose an earlier date.", members)
            : ValidationResult.Success;
    }
}
