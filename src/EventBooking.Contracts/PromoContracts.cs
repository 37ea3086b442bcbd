using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventBooking.Messaging;

/// <summary>
/// A sign-up, accepted and stored by the API, for the notifier to decide. <see cref="Sequence"/> is the arrival
/// order, gap-free: the notifier decides n only after n - 1. The API sends it once the address is confirmed, or,
/// <see cref="Unconfirmed"/>, once the time to confirm is over (or the codes are gone): it then takes no code.
/// After a restore the API sends every released sign-up again with <see cref="Told"/>, the final status it already
/// stored (and showed) if any, and that status's <see cref="Code"/>: the notifier's copy of its database may be a
/// moment older than the API's, and what the person was told stands.
/// </summary>
public sealed record PromoRequested(
    string RegistrationId, long Sequence, string Email, string Name, DateTime AcceptedAt, bool Unconfirmed = false,
    PromoStatus? Told = null, string? Code = null)
{
    /// <summary>The AMQP type of this contract; a message of any other type is from a contract this build does not know.</summary>
    public const string ContractType = "PromoRequested";
}

public enum PromoStatus
{
    Queued,
    Processing,
    CodeIssued,
    SoldOut,
    Failed,

    /// <summary>Has its place in the queue; waits for its address to be confirmed (Promo:ConfirmEmail).</summary>
    AwaitingConfirmation,

    /// <summary>The address was not confirmed in time: the place is given up, no code.</summary>
    Expired,
}

/// <summary>
/// One step of a registration's handling, from the notifier to every API replica. <see cref="Version"/> only grows
/// for a registration (steps 1..n, then <see cref="FinalVersion"/>), so late or repeated updates are recognised.
/// <see cref="CodesLeft"/>: on a decision, the codes left once it was made (none come back, so a page told 0 need not
/// count again).
/// </summary>
public sealed record PromoStatusChanged(
    string RegistrationId,
    long Sequence,
    PromoStatus Status,
    int Version,
    string? Step,
    string? Code,
    string Message,
    DateTime At,
    int? CodesLeft = null)
{
    public const int FinalVersion = 1_000;

    public bool IsFinal => Status.IsFinal();
}

public static class PromoStatuses
{
    /// <summary>The one definition of "decided": nothing changes a registration after one of these.</summary>
    public static bool IsFinal(this PromoStatus status) =>
        status is PromoStatus.CodeIssued or PromoStatus.SoldOut or PromoStatus.Failed or PromoStatus.Expired;
}

public static class PromoJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
