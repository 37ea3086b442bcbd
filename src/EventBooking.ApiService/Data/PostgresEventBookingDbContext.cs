using Microsoft.EntityFrameworkCore;

namespace EventBooking.ApiService.Data;

/// <summary>The API's database on PostgreSQL: the same model; the type only names its own migrations set.</summary>
public sealed class PostgresEventBookingDbContext(DbContextOptions<PostgresEventBookingDbContext> options)
    : EventBookingDbContext(options);
