using System.Security.Cryptography;
using System.Text.Json;
using EventBooking.ApiService.Data;
using EventBooking.ApiService.Hardening;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EventBooking.ApiService.Orders;

public static class OrdersApi
{
    public const int MaxBodyBytes = HttpLimits.MaxRequestBodyBytes;
    private const int MaxIdempotencyKeyLength = 100;

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/orders")
            .WithTags("Orders")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));

        group.MapPost("/", CreateOrderAsync)
            .WithName("CreateOrder")
            .WithSummary("Submit an event request; answers 201 only once it is stored.")
            .RequireRateLimiting(HardeningExtensions.OrdersPolicy)
            .Accepts<CreateOrderRequest>("application/json");

        // The email and the token travel in a body, never in a URL, so no access log or trace holds them.
        group.MapPost("/lookup", LookUpOrderAsync)
            .WithName("LookUpOrder")
            .WithSummary("Look a request up by its reference and the email it was made with.")
            .RequireRateLimiting(HardeningExtensions.LookupsPolicy);

        group.MapPost("/view", ViewOrderAsync)
            .WithName("ViewOrder")
            .WithSummary("Open a request with the private link's token from its confirmation mail.")
            .RequireRateLimiting(HardeningExtensions.LookupsPolicy);

        return routes;
    }

    /// <summary>What submitting an order needs besides the form.</summary>
    public sealed record OrderServices(
        [FromServices] OrderWriter Writer,
        [FromServices] PromoRedemption Redemption,
        [FromServices] TimeProvider Clock,
        [FromServices] OrderEvents Events,
        [FromServices] OrderMails Mails,
        [FromServices] IOptions<PromotionOptions> Promotion);

    public static async Task<Results<Created<OrderDto>, Ok<OrderDto>, ValidationProblem, ProblemHttpResult>> CreateOrderAsync(
        CreateOrderRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        [AsParameters] OrderServices services,
        CancellationToken cancellationToken)
    {
        idempotencyKey = string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey.Trim();
        if (idempotencyKey is { Length: > MaxIdempotencyKeyLength })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["Idempotency-Key"] = [$"The Idempotency-Key header is at most {MaxIdempotencyKeyLength} characters (a UUID fits)."],
            });
        }

        var promo = await services.Redemption.CheckAsync(request.PromoCode, request.Email!, cancellationToken);
        if (promo.Problem is { } problem)
        {
            return CodeProblem(problem);
        }

        // A repeated Idempotency-Key is found by the writer, in one read per group of submissions: a read here
        // for every submission cost a tenth of the API's CPU per order, for the rare repeat.
        var fingerprint = Fingerprint(request);
        var viewToken = OrderMails.NewViewToken();
        var order = Order.Create(request, services.Clock.GetUtcNow().UtcDateTime, idempotencyKey, idempotencyKey is null ? null : fingerprint,
            OrderMails.HashViewToken(viewToken), promo.Code);
        var stored = await services.Writer.StoreAsync(new NewOrder(order, services.Mails.Received(order, viewToken)), cancellationToken);
        var benefit = services.Promotion.Value.Benefit;
        switch (stored.Outcome)
        {
            case OrderOutcome.Repeat:
                // A concurrent double submission with the same key got there first: answer with its order.
                return Repeat(stored.Order, fingerprint, benefit);
            case OrderOutcome.PromoCodeInUse:
                return CodeProblem(PromoRedemption.InUse);
        }

        services.Events.OrderCreated(order);
        // No Location: a request is read back with its email (POST /api/orders/lookup), never by a URL alone.
        return TypedResults.Created((string?)null, order.ToDto(benefit));
    }

    private static ValidationProblem CodeProblem(string problem) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [PromoRedemption.Field] = [problem] });

    public static async Task<Results<Ok<OrderDto>, NotFound, ValidationProblem>> LookUpOrderAsync(
        LookUpOrderRequest request, EventBookingDbContext db, IOptions<PromotionOptions> promotion, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Reference) || request.Reference.Length > 40)
        {
            errors["reference"] = ["Enter the reference from your confirmation, e.g. EB-7K3M-9QX2."];
        }

        if (string.IsNullOrWhiteSpace(request.Email))
        {
            errors["email"] = ["Enter the email address you used for the request."];
        }
        else if (EmailAddress.Problem(request.Email) is { } problem)
        {
            errors["email"] = [problem];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // An unknown reference and a wrong email answer alike, so references cannot be probed for emails.
        var normalizedReference = OrderReference.Normalize(request.Reference!);
        var normalizedEmail = EmailAddress.Normalize(request.Email!);
        var order = normalizedReference is null
            ? null
            : await db.Orders.AsNoTracking()
                .SingleOrDefaultAsync(o => o.Reference == normalizedReference && o.EmailNormalized == normalizedEmail, cancellationToken);

        return order is null ? TypedResults.NotFound() : TypedResults.Ok(order.ToDto(promotion.Value.Benefit));
    }

    public static async Task<Results<Ok<OrderDto>, NotFound, ValidationProblem>> ViewOrderAsync(
        ViewOrderRequest request, EventBookingDbContext db, IOptions<PromotionOptions> promotion, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Token) || request.Token.Length > 100)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["token"] = ["Open the link from your confirmation mail as it is; it holds a token of 43 characters."],
            });
        }

        var hash = OrderMails.HashViewToken(request.Token.Trim());
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.ViewTokenHash == hash, cancellationToken);
        return order is null ? TypedResults.NotFound() : TypedResults.Ok(order.ToDto(promotion.Value.Benefit));
    }

    private static Results<Created<OrderDto>, Ok<OrderDto>, ValidationProblem, ProblemHttpResult> Repeat(Order earlier, string fingerprint, string benefit) =>
        earlier.RequestFingerprint == fingerprint
            ? TypedResults.Ok(earlier.ToDto(benefit))
            : TypedResults.Problem(
                title: "This Idempotency-Key was already used for a different request.",
                detail: "Send a new key (a fresh UUID) for a new request.",
                statusCode: StatusCodes.Status409Conflict);

    private static string Fingerprint(CreateOrderRequest request) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request)));

}
