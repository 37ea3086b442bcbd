using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using EventBooking.ApiService.Validation;
using EventBooking.Messaging;

namespace EventBooking.ApiService.Promo;

public sealed record SignUpRequest
{
    [Required(ErrorMessage = "We need your email to send the code.")]
    [StringLength(EmailAttribute.MaxLength, ErrorMessage = "An email address is at most 254 characters.")]
    [Email]
    public string? Email { get; init; }

    [Required(ErrorMessage = "Tell us your name.")]
    [StringLength(100, MinimumLength = 1, ErrorMessage = "Your name is at most 100 characters.")]
    [PlainText]
    public string? Name { get; init; }

    /// <summary>The proof of work the page's ALTCHA widget solved (base64 JSON), when Promo:ProofOfWork:Enabled.</summary>
    [StringLength(2_048, ErrorMessage = "The automatic check's answer is too long.")]
    public string? Altcha { get; init; }
}

/// <summary>The promotion as its page shows it, with the rule a sign-up follows (confirm within so many minutes).</summary>
public sealed record PromoInfo(
    int TotalCodes, int CodesLeft, bool IsOpen, DateTimeOffset? EndsAt, bool ConfirmEmail, int ConfirmWithinMinutes, bool ProofOfWork, string Benefit);

/// <summary>
/// Where a registration stands: the body of GET, of the sign-up answer, and of every WebSocket message.
/// <see cref="Version"/> only grows, so a client can ignore anything older than what it already shows.
/// </summary>
public sealed record PromoStatusDocument(
    string RegistrationId,
    long Sequence,
    [property: JsonConverter(typeof(JsonStringEnumConverter<PromoStatus>))] PromoStatus Status,
    int Version,
    int? Position,
    double? EtaSeconds,
    string? Step,
    string? Code,
    string Message,
    DateTime At,
    int? CodesLeft = null,
    DateTime? ConfirmBy = null,
    int? UnconfirmedAhead = null,
    DateTime? UnconfirmedUntil = null)
{
    public const string CodeInYourInbox =
        "Congratulations! You won a promo code. It is in your inbox: we sent it to the address you confirmed.";

    /// <summary>Sent too, so pages need no list of their own of which statuses end the story.</summary>
    public bool IsFinal => Status.IsFinal();

    /// <summary>
    /// What one viewer may see: with confirmation on, the code only on a page opened from the mailbox (it holds the
    /// mailbox key); whoever holds just the registration id hears every step and that the code is in the inbox.
    /// </summary>
    public PromoStatusDocument ForViewer(bool seesCode) =>
        seesCode || Code is null ? this : this with { Code = null, Message = CodeInYourInbox };
}

/// <summary>The answer to a sign-up: the status plus where to watch it live.</summary>
public sealed record PromoSignUpResponse(
    string RegistrationId,
    long Sequence,
    [property: JsonConverter(typeof(JsonStringEnumConverter<PromoStatus>))] PromoStatus Status,
    int? Position,
    double? EtaSeconds,
    string? Code,
    string Message,
    string StatusUrl);

/// <summary>The answer to a sign-up whose email is already in the queue: it says so, and gives nothing of the original away.</summary>
public sealed record AlreadySignedUp(bool AlreadyInQueue, string Message)
{
    public static readonly AlreadySignedUp Instance = new(true,
        "This email is already in the queue: each email gets one place. We have emailed the link to follow that request to its address (at most once a minute).");
}

public static class PromoMappings
{
    public const string QueuedMessage = "You are in the queue. Requests are handled strictly in the order they arrived.";

    public const string AwaitingMessage =
        "Your place is kept. Open the link we just emailed you to confirm your address; your code, if you win one, goes there.";

    public const string ConfirmedMessage = "Address confirmed: you are in the queue. Requests are handled strictly in the order they arrived.";

    public static PromoStatusDocument ToDocument(this PromoRegistration registration, int? position = null, double? etaSeconds = null) => new(
        registration.Id,
        registration.Sequence,
        registration.Status,
        registration.StatusVersion,
        registration.Status.IsWaiting() ? position : null,
        registration.Status.IsWaiting() ? etaSeconds : null,
        registration.Step,
        registration.Code,
        registration.Message ?? (registration.Status == PromoStatus.AwaitingConfirmation ? AwaitingMessage : QueuedMessage),
        registration.UpdatedAt,
        ConfirmBy: registration.Status == PromoStatus.AwaitingConfirmation ? registration.ConfirmBy : null);

    /// <summary>Waiting for its turn, confirmed or not: it has a position in the queue.</summary>
    public static bool IsWaiting(this PromoStatus status) => status is PromoStatus.Queued or PromoStatus.AwaitingConfirmation;

    public static PromoStatusDocument ToDocument(this PromoStatusChanged change) => new(
        change.RegistrationId, change.Sequence, change.Status, change.Version, null, null, change.Step, change.Code, change.Message, change.At,
        change.CodesLeft);

    public static PromoSignUpResponse ToSignUpResponse(this PromoStatusDocument status) => new(
        status.RegistrationId, status.Sequence, status.Status, status.Position, status.EtaSeconds, status.Code, status.Message,
        $"/ws/promo/{status.RegistrationId}");
}
