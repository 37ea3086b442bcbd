using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace EventBooking.ApiService.Extensions;

/// <summary>Makes every ProblemDetails the API sends readable by the client that caused it.</summary>
internal static class ProblemDetailsDefaults
{
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status404NotFound => "Nothing was found at this address.",
            StatusCodes.Status405MethodNotAllowed => $"{context.HttpContext.Request.Method} is not allowed here.",
            StatusCodes.Status413PayloadTooLarge => TooLarge(context.HttpContext),
            StatusCodes.Status415UnsupportedMediaType => "Send the request body as JSON, with the header Content-Type: application/json.",
            _ => null,
        };

        // Field names in errors match the JSON the client sent (camelCase), not the C# property names.
        if (problem is HttpValidationProblemDetails validation)
        {
            var errors = validation.Errors.ToDictionary(
                entry => entry.Key.Contains('-') ? entry.Key : JsonNamingPolicy.CamelCase.ConvertName(entry.Key),
                entry => entry.Value);
            validation.Errors.Clear();
            foreach (var (key, messages) in errors)
            {
                validation.Errors[key] = messages;
            }
        }
    }

    private static string TooLarge(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize is { } limit
            ? $"The request body is larger than this endpoint accepts ({limit / 1024} KB)."
            : "The request body is larger than this endpoint accepts.";
}
