using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace EventBooking.ApiService.Auth;

/// <summary>
/// Makes sure the manager account from the app host's parameters exists, has the Manager role, and signs in with
/// the parameter's password (so changing the secret parameter is how the password is changed locally).
/// Runs after the migrations (hosted services start in registration order).
/// </summary>
internal sealed class ManagerAccountSeeder(IServiceScopeFactory scopes, IOptions<AdminOptions> options, ILogger<ManagerAccountSeeder> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) =>
        // API replicas start together and may race to create the role or the account; whoever loses finds it made
        // on the next attempt.
        await new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<InvalidOperationException>().Handle<DbUpdateException>(),
                MaxRetryAttempts = 3,
                Delay = TimeSpan.FromMilliseconds(200),
            })
            .Build()
            .ExecuteAsync(async token => await SeedAsync(token), cancellationToken);

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        var admin = options.Value;

        if (!await roles.RoleExistsAsync(AdminOptions.ManagerRole))
        {
            Check(await roles.CreateAsync(new IdentityRole(AdminOptions.ManagerRole)));
        }

        var manager = await users.FindByEmailAsync(admin.ManagerEmail);
        if (manager is null)
        {
            manager = new IdentityUser { UserName = admin.ManagerEmail, Email = admin.ManagerEmail, EmailConfirmed = true };
            Check(await users.CreateAsync(manager, admin.ManagerPassword));
            logger.LogInformation("Created the manager account {Email}", admin.ManagerEmail);
        }
        else if (!await users.CheckPasswordAsync(manager, admin.ManagerPassword))
        {
            Check(await users.RemovePasswordAsync(manager));
            Check(await users.AddPasswordAsync(manager, admin.ManagerPassword));
            logger.LogInformation("Updated the manager account's password from the manager-password parameter");
        }

        if (!await users.IsInRoleAsync(manager, AdminOptions.ManagerRole))
        {
            Check(await users.AddToRoleAsync(manager, AdminOptions.ManagerRole));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Could not set up the manager account: " +
                string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
