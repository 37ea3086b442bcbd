using EventBooking.ApiService.Admin;
using EventBooking.ApiService.Auth;
using EventBooking.ApiService.Hardening;
using EventBooking.ApiService.Notifications;
using EventBooking.ApiService.Promo;
using EventBooking.ApiService.Promo.Confirmation;
using EventBooking.ApiService.Realtime;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseForwardedHeadersFromSiteProxy();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseWebSockets();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

if (app.Environment.IsDevelopment())
{
    app.MapOpenApi();
    app.MapScalarApiReference();
}

app.MapMetaApi();
app.MapOrdersApi();
app.MapPromoApi();
app.MapConfirmationApi();
app.MapRealtimeApi();
app.MapAuthApi();
app.MapAdminOrdersApi();
app.MapAdminStatsApi();
app.MapAdminPromoApi();
app.MapManagerSettingsApi();
app.MapDefaultEndpoints();

app.Run();

public partial class Program;
