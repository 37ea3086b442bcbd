using EventBooking.ApiService.Data;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace EventBooking.ApiService.Auth;

public static class AuthServiceExtensions
{
    /// <summary>ASP.NET Core Identity in the API's SQLite database, cookie sessions, and the Manager policy.</summary>
    public static IHostApplicationBuilder AddManagerSignIn(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>()
            .BindConfiguration(AdminOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddDataProtection()
            .SetApplicationName("EventBooking")
            .PersistKeysToDbContext<EventBookingDbContext>();
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        builder.Services.AddIdentityCore<IdentityUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                // Length over composition rules (NIST SP 800-63B). The app host generates 20 letters and digits, which
                // may happen to hold no digit or no capital: a composition rule would refuse it and stop the API.
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireDigit = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                // Wrong passwords are throttled (SignInThrottle); lockout stays for an administrator to lock an account.
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<EventBookingDbContext>()
            .AddSignInManager();
        // Every request checks the cookie's security stamp: a sign-out or password change ends other sessions at once.
        builder.Services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddSingleton<ManagerSession>();

        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "eventbooking.admin";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            // An API answers 401/403; redirecting to a login page is the browser app's job.
            cookie.Events = new CookieAuthenticationEvents
            {
                OnRedirectToLogin = context => Deny(context.Response, StatusCodes.Status401Unauthorized),
                OnRedirectToAccessDenied = context => Deny(context.Response, StatusCodes.Status403Forbidden),
            };
        });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminOptions.ManagerPolicy, policy => policy.RequireAuthenticatedUser().RequireRole(AdminOptions.ManagerRole));

        builder.Services.AddHostedService<ManagerAccountSeeder>();
        return builder;
    }

    private static Task Deny(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }
}
