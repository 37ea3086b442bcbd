using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace EventBooking.ApiService.Auth;

/// <summary>
/// How long a manager's long-lived connection (the back office's live feed) may stay open: no longer than the
/// cookie session, and only while the account is still as it was at sign-in. Sign-out, a password change or an
/// administrator's lockout renew the account's security stamp or lock it, and the connection ends within
/// <see cref="CheckEvery"/>.
/// </summary>
public sealed class ManagerSession(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ManagerSession> logger)
{
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(2);

    /// <summary>A token cancelled when the session of <paramref name="context"/>'s user ends; stops with <paramref name="stop"/>.</summary>
    public async Task<CancellationToken> WatchAsync(HttpContext context, CancellationToken stop)
    {
        var ticket = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var principal = context.User;
        var ended = CancellationTokenSource.CreateLinkedTokenSource(stop);
        context.Response.RegisterForDispose(ended);
        if (ticket.Properties?.ExpiresUtc is { } expires)
        {
            ended.CancelAfter(expires - clock.GetUtcNow());
        }

        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(CheckEvery, clock);
            try
            {
                while (await timer.WaitForNextTickAsync(ended.Token))
                {
                    if (!await IsStillValidAsync(principal))
                    {
                        logger.LogInformation("A manager's session ended (signed out, locked or password changed): closing the live feed.");
                        await ended.CancelAsync();
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The connection ended first, or the session did.
            }
        }, CancellationToken.None);

        return ended.Token;
    }

    private async Task<bool> IsStillValidAsync(ClaimsPrincipal principal)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var stampClaim = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        var user = await users.GetUserAsync(principal);
        return user is not null
            && !await users.IsLockedOutAsync(user)
            && principal.FindFirstValue(stampClaim) == await users.GetSecurityStampAsync(user);
    }
}
