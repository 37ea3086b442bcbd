using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using EventBooking.ApiService.Hardening;
using EventBooking.ApiService.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace EventBooking.ApiService.Auth;

public sealed record SignInRequest
{
    [Required(ErrorMessage = "Enter your email.")]
    [Email]
    public string? Email { get; init; }

    [Required(ErrorMessage = "Enter your password.")]
    [StringLength(256)]
    public string? Password { get; init; }
}

public sealed record ManagerDto(string Email, IReadOnlyList<string> Roles);

/// <summary>The back office's session, for the page to start from: the manager, or null when nobody is signed in.</summary>
public sealed record SessionDto(ManagerDto? Manager);

public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin/auth").WithTags("Admin");

        group.MapPost("/sign-in", SignInAsync).AllowAnonymous().RequireRateLimiting(HardeningExtensions.SignInPolicy)
            .WithName("SignIn").WithSummary("Starts a manager's cookie session. Repeated failures from one address wait longer and longer.");
        group.MapPost("/sign-out", SignOutAsync).RequireAuthorization()
            .WithName("SignOut").WithSummary("Ends every session of the account, live feeds included.");
        group.MapGet("/me", GetMe).RequireAuthorization(AdminOptions.ManagerPolicy)
            .WithName("Me").WithSummary("Who is signed in.");
        // A page asking whether anyone is signed in is not an error: 200 either way, so its console stays clean.
        group.MapGet("/session", GetSessionAsync).AllowAnonymous()
            .WithName("Session").WithSummary("The signed-in manager, or null.");

        return routes;
    }

    public static async Task<Results<Ok<ManagerDto>, ProblemHttpResult, ValidationProblem>> SignInAsync(
        SignInRequest request, HttpContext context, SignInManager<IdentityUser> signIn, UserManager<IdentityUser> users, SignInThrottle throttle)
    {
        var address = context.ClientKey();
        var email = request.Email!.Trim();
        if (throttle.MustWait(address, email))
        {
            return WrongCredentials();
        }

        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            // As long as a wrong password for a known email: the time taken must not tell which emails are managers.
            users.PasswordHasher.VerifyHashedPassword(Nobody, NobodysHash(users.PasswordHasher), request.Password!);
        }

        // No lockout: the throttle slows a guesser down without letting a stranger keep the manager out.
        var result = user is null ? SignInResult.Failed : await signIn.PasswordSignInAsync(user, request.Password!, isPersistent: false, lockoutOnFailure: false);
        if (!result.Succeeded)
        {
            throttle.Failed(address, email);
            return WrongCredentials();
        }

        throttle.Succeeded(address, email);
        var roles = await users.GetRolesAsync(user!);
        return TypedResults.Ok(new ManagerDto(user!.Email!, [.. roles]));
    }

    private static readonly IdentityUser Nobody = new();
    private static string? _nobodysHash;

    /// <summary>A hash made as a manager's is (same algorithm and work), of a password nobody has.</summary>
    private static string NobodysHash(IPasswordHasher<IdentityUser> hasher) =>
        _nobodysHash ??= hasher.HashPassword(Nobody, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));

    /// <summary>Ends every session of this account (a new security stamp), so no copy of the cookie or open feed outlives it.</summary>
    public static async Task<NoContent> SignOutAsync(ClaimsPrincipal principal, SignInManager<IdentityUser> signIn, UserManager<IdentityUser> users)
    {
        if (await users.GetUserAsync(principal) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
        }

        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    public static Ok<ManagerDto> GetMe(ClaimsPrincipal user) =>
        TypedResults.Ok(new ManagerDto(
            user.Identity?.Name ?? string.Empty,
            [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value)]));

    public static async Task<Ok<SessionDto>> GetSessionAsync(ClaimsPrincipal user, IAuthorizationService authorization) =>
        TypedResults.Ok(new SessionDto((await authorization.AuthorizeAsync(user, AdminOptions.ManagerPolicy)).Succeeded ? GetMe(user).Value : null));

    // The same answer for an unknown email, a wrong password and a throttled attempt: nothing reveals who has an account.
    private static ProblemHttpResult WrongCredentials() => TypedResults.Problem(
        title: "Wrong email or password.", statusCode: StatusCodes.Status401Unauthorized);
}
