using System.Security.Cryptography;
using EventBooking.ApiService.Data;
using EventBooking.ApiService.Hardening;
using EventBooking.ApiService.Promo.Confirmation;
using EventBooking.ApiService.Promo.ProofOfWork;
using EventBooking.ApiService.Promo.Throwaway;
using EventBooking.Messaging;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EventBooking.ApiService.Promo;

public static class PromoApi
{
    private const int MaxBodyBytes = 4 * 1024;

    public static IEndpointRouteBuilder MapPromoApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/promo")
            .WithTags("Promo")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));

        group.MapGet("/", GetPromoAsync)
            .WithName("GetPromo")
            .WithSummary("How many codes there are, how many are left, and whether sign-ups are open.");

        group.MapPost("/registrations", SignUpAsync)
            .WithName("SignUpForPromo")
            .WithSummary("Join the queue for a code. 202 once the sign-up is stored; an email already in the queue gets 200 with a message and nothing of the original.")
            .RequireRateLimiting(HardeningExtensions.PromoSignUpsPolicy);

        group.MapGet("/challenge", (SignUpChallenges challenges) => TypedResults.Ok(challenges.Issue()))
            .WithName("GetSignUpChallenge")
            .WithSummary("A proof-of-work challenge (ALTCHA) for one sign-up, valid for Promo:ProofOfWork:ValidFor.");

        group.MapGet("/registrations/{id}", GetRegistrationAsync)
            .WithName("GetPromoRegistration")
            .WithSummary("The current status of a sign-up (the same document the WebSocket sends).");

        return routes;
    }

    public static async Task<Ok<PromoInfo>> GetPromoAsync(
        EventBookingDbContext db, IOptions<PromotionOptions> options, IssuedCodes issuedCodes, SignUpChallenges challenges, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var promo = options.Value;
        return TypedResults.Ok(new PromoInfo(promo.TotalCodes, await issuedCodes.LeftAsync(db, cancellationToken), IsOpen(promo, clock), promo.EndsAt,
            promo.ConfirmEmail, (int)Math.Ceiling(promo.ConfirmWithin.TotalMinutes), challenges.Enabled, promo.Benefit));
    }

    /// <summary>What a sign-up needs besides its request (services, said explicitly so validation never walks them).</summary>
    public sealed record SignUpServices(
        [FromServices] EventBookingDbContext Db,
        [FromServices] IOptions<PromotionOptions> Options,
        [FromServices] TimeProvider Clock,
        [FromServices] PromoSignUpWriter Writer,
        [FromServices] PromoMetrics Metrics,
        [FromServices] PromoMails Mails,
        [FromServices] ThrowawayDomains Throwaway,
        [FromServices] SignUpChallenges Challenges);

    public static async Task<Results<Accepted<PromoSignUpResponse>, Ok<AlreadySignedUp>, ValidationProblem, ProblemHttpResult>> SignUpAsync(
        SignUpRequest request, [AsParameters] SignUpServices services, CancellationToken cancellationToken)
    {
        var (db, options, clock, writer, metrics, mails, throwaway, challenges) = services;
        var email = request.Email!.Trim();
        var emailNormalized = MailboxIdentity.Of(email);
        var domain = MailboxIdentity.DomainOf(emailNormalized);
        if (throwaway.IsThrowaway(domain))
        {
            return EmailRefused($"{domain} gives out throwaway mailboxes, and a code sent there could be anybody's. Use an address you keep.");
        }

        // The solution is checked here; it is used up with the sign-up it pays for, in the writer's group (one commit
        // for many sign-ups, not one each), or below when no sign-up is stored. Each try uses one up.
        PaidChallenge? paid = null;
        if (challenges.Enabled && challenges.Check(request.Altcha, out paid) is { } unpaid)
        {
            return ChallengeRefused(unpaid);
        }

        // The registration id is the key to its code: whoever knows an email must not get it. The rightful owner
        // still has the page where they signed up, and gets the link by mail. The writer finds an email that is
        // already queued in its group's one read; only a closed promotion reads first, to tell the queued apart.
        if (!IsOpen(options.Value, clock))
        {
            if (paid is not null && !await challenges.UseAloneAsync(paid, db, cancellationToken))
            {
                return ChallengeRefused(SignUpChallenges.UsedAlready);
            }

            if (await EmailIsQueuedAsync(db, emailNormalized, cancellationToken))
            {
                return await AlreadySignedUpAsync(db, mails, emailNormalized, cancellationToken);
            }

            return TypedResults.Problem(
                title: "The promotion has ended.",
                detail: $"Sign-ups closed at {options.Value.EndsAt:u}. Thank you for your interest.",
                statusCode: StatusCodes.Status410Gone);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var confirm = options.Value.ConfirmEmail;
        var (token, tokenHash) = confirm ? ConfirmationSecrets.New() : default;
        var registration = new PromoRegistration
        {
            Id = NewRegistrationId(),
            Email = email,
            EmailNormalized = emailNormalized,
            Name = request.Name!.Trim(),
            Status = confirm ? PromoStatus.AwaitingConfirmation : PromoStatus.Queued,
            ConfirmTokenHash = tokenHash,
            ConfirmBy = confirm ? now + options.Value.ConfirmWithin : null,
            ReleasedAt = confirm ? null : now,
            CreatedAt = now,
            UpdatedAt = now,
        };

        var stored = await writer.StoreAsync(new NewSignUp(registration, token, paid), cancellationToken);
        switch (stored.Outcome)
        {
            case SignUpOutcome.ChallengeUsed:
                return ChallengeRefused(SignUpChallenges.UsedAlready);
            case SignUpOutcome.Repeat:
                // The mailbox signed up before (or concurrently, and got there first): never a second registration, nor its id.
                return await AlreadySignedUpAsync(db, mails, emailNormalized, cancellationToken);
            case SignUpOutcome.DomainFull:
                return EmailRefused($"{options.Value.MaxPerDomain} people with an address at {domain} have signed up already, which is as many as one organisation's domain can have.");
        }

        metrics.SignUpAccepted();
        return TypedResults.Accepted($"/api/promo/registrations/{registration.Id}", registration.ToDocument(stored.Position).ToSignUpResponse());
    }

    public static async Task<Results<Ok<PromoStatusDocument>, NotFound>> GetRegistrationAsync(
        string id, [FromQuery(Name = "key")] string? mailboxKey, EventBookingDbContext db, IOptions<PromotionOptions> options,
        CancellationToken cancellationToken)
    {
        var registration = await db.PromoRegistrations.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return registration is null
            ? TypedResults.NotFound()
            : TypedResults.Ok((await WithPositionAsync(db, registration, cancellationToken)).ForViewer(SeesCode(registration, mailboxKey, options.Value)));
    }

    /// <summary>
    /// With confirmation on, only a page holding the mailbox's key (the query parameter "key", as a browser's
    /// WebSocket can send no header; never logged, see SecretUrls) sees the code; the registration id alone does not.
    /// </summary>
    public static bool SeesCode(PromoRegistration registration, string? mailboxKey, PromotionOptions promotion) =>
        !promotion.ConfirmEmail
            || (registration.MailboxKeyHash is { } hash && mailboxKey is { Length: > 0 and <= 64 }
                && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.ASCII.GetBytes(hash), System.Text.Encoding.ASCII.GetBytes(ConfirmationSecrets.Hash(mailboxKey))));

    private static async Task<PromoStatusDocument> WithPositionAsync(
        EventBookingDbContext db, PromoRegistration registration, CancellationToken cancellationToken) =>
        registration.Status.IsWaiting()
            ? registration.ToDocument(await PromoQueries.PositionAsync(db, registration.Sequence, cancellationToken))
            : registration.ToDocument();

    private static async Task<Ok<AlreadySignedUp>> AlreadySignedUpAsync(
        EventBookingDbContext db, PromoMails mails, string emailNormalized, CancellationToken cancellationToken)
    {
        await mails.SendStatusLinkAsync(db, emailNormalized, cancellationToken);
        return TypedResults.Ok(AlreadySignedUp.Instance);
    }

    private static Task<bool> EmailIsQueuedAsync(EventBookingDbContext db, string emailNormalized, CancellationToken cancellationToken) =>
        db.PromoRegistrations.AnyAsync(r => r.EmailNormalized == emailNormalized, cancellationToken);

    private static ValidationProblem ChallengeRefused(string why) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["altcha"] = [why] }, title: "The automatic check did not pass.");

    private static ValidationProblem EmailRefused(string why) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["email"] = [why] }, title: "This address cannot take part.");

    private static bool IsOpen(PromotionOptions promo, TimeProvider clock) => promo.EndsAt is not { } end || clock.GetUtcNow() < end;

    /// <summary>128 random bits, URL-safe: the id is the only key to a registration and its code.</summary>
    private static string NewRegistrationId() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
}
