using EventBooking.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace EventBooking.ApiService.Extensions;

/// <summary>
/// A write the database could not store (a full disk, an I/O error) is the server's trouble, not a bug, and passes:
/// 503 with Retry-After and words a person can act on, instead of a bare 500. Nothing was stored (its transaction
/// was rolled back whole); <see cref="StorageHealth"/> logs it once and turns /health Unhealthy meanwhile.
/// </summary>
internal sealed class StorageFailureExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public const string Message = "We could not save your request just now; nothing was stored. Please try again in a minute.";
    public static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(1);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!StorageHealth.IsStorageFailure(exception))
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = Message },
        });
    }
}
