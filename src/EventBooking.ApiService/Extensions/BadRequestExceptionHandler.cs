using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace EventBooking.ApiService.Extensions;

/// <summary>
/// Turns the framework's "bad request" failures (malformed JSON, wrong content type, body too large) into
/// ProblemDetails with the status they carry and a detail a client developer can act on. They are the client's
/// mistakes, so they are not logged as server errors.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var detail = badRequest.InnerException switch
        {
            JsonException json => $"The request body is not valid JSON for this endpoint: {json.Message}",
            _ => badRequest.Message,
        };

        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = badRequest.StatusCode, Detail = detail },
        });
    }
}
