namespace EventBooking.ApiService.Promo.ProofOfWork;

/// <summary>A proof-of-work challenge a sign-up has used: each is good for one sign-up, whichever replica sees it.</summary>
public sealed class UsedChallenge
{
    public required string Challenge { get; init; }

    /// <summary>After this the challenge is refused anyway, so the row can go.</summary>
    public DateTime ExpiresAt { get; init; }
}
