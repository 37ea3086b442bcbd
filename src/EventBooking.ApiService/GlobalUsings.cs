global using EventBooking.ApiService.Extensions;
global using EventBooking.ApiService.Meta;
global using Microsoft.AspNetCore.Http.HttpResults;
