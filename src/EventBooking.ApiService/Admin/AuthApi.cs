using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using EventBooking.ApiService.Hardening;

namespace EventBooking.ApiService.Admin;

public sealed record SignInRequest
{
    [Required(ErrorMessage = "Enter your email.")]
    [StringLength(256)]
    public string? Email { get; init; }

    [Required(ErrorMessage = "Enter your password.")]
    [StringLength(256)]
    public string? Password { get; init; }
}

public sealed record ManagerDto(string Email, IReadOnlyList<string> Roles);

public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin/auth").WithTags("Admin");

        group.MapPost("/sign-in", SignInAsync).AllowAnonymous().RequireRateLimiting(HardeningExtensions.SignInPolicy)
            .WithName("SignIn").WithSummary("Starts a manager's cookie session. Repeated failures lock the account.");
        group.MapPost("/sign-out", SignOutAsync).RequireAuthorization()
            .WithName("SignOut").WithSummary("Ends the session.");
        group.MapGet("/me", GetMe).RequireAuthorization(AdminOptions.ManagerPolicy)
            .WithName("Me").WithSummary("Who is signed in.");

        return routes;
    }

    public static async Task<Results<Ok<ManagerDto>, ProblemHttpResult, ValidationProblem>> SignInAsync(
        SignInRequest request, SignInManager<IdentityUser> signIn, UserManager<IdentityUser> users, ILogger<SignInRequest> logger)
    {
        var user = await users.FindByEmailAsync(request.Email!.Trim());
        if (user is null)
        {
            return WrongCredentials();
        }

        var result = await signIn.PasswordSignInAsync(user, request.Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            logger.LogWarning("Sign-in refused: the account is locked out.");
            return TypedResults.Problem(
                title: "This account is locked.",
                detail: "Too many wrong passwords in a row. Try again later.",
                statusCode: StatusCodes.Status423Locked);
        }

        if (!result.Succeeded)
        {
            return WrongCredentials();
        }

        var roles = await users.GetRolesAsync(user);
        return TypedResults.Ok(new ManagerDto(user.Email!, [.. roles]));
    }

    public static async Task<NoContent> SignOutAsync(SignInManager<IdentityUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    public static Ok<ManagerDto> GetMe(ClaimsPrincipal user) =>
        TypedResults.Ok(new ManagerDto(
            user.Identity?.Name ?? string.Empty,
            [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value)]));

    // The same answer for an unknown email and a wrong password: sign-in does not reveal who has an account.
    private static ProblemHttpResult WrongCredentials() => TypedResults.Problem(
        title: "Wrong email or password.", statusCode: StatusCodes.Status401Unauthorized);
}
