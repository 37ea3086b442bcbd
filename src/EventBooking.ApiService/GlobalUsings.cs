global using EventBooking.ApiService.Extensions;
global using EventBooking.ApiService.Meta;
global using EventBooking.ApiService.Orders;
global using EventBooking.ServiceDefaults;
global using Microsoft.AspNetCore.Http.HttpResults;
