using EventBooking.ServiceDefaults;
namespace EventBooking.Frontend.Security;

/// <summary>
/// Answers 413 before forwarding a body the API would refuse. The API refuses in mid-upload, which reaches the
/// browser as a proxy error (502): the client must hear the real reason. A sized body is judged by its
/// Content-Length; a chunked one is read up to the limit first (every API body is small) and forwarded from memory.
/// </summary>
public static class BodySizeLimit
{
    private const int MaxForwardedBytes = HttpLimits.MaxRequestBodyBytes;

    public static IApplicationBuilder UseBodySizeLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (request.ContentLength > MaxForwardedBytes)
        {
            await TooLarge(context);
            return;
        }

        if (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0)
        {
            var buffered = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffered.Length + read > MaxForwardedBytes)
                {
                    await TooLarge(context);
                    return;
                }

                buffered.Write(chunk, 0, read);
            }

            buffered.Position = 0;
            request.Body = buffered;
            request.ContentLength = buffered.Length;
            request.Headers.TransferEncoding = default;
            context.Response.RegisterForDispose(buffered);
        }

        await next(context);
    });

    private static Task TooLarge(HttpContext context)
    {
        // The rest of the upload is not read: the connection closes after this answer.
        context.Response.Headers.Connection = "close";
        return TypedResults.Problem(
            title: "Content Too Large",
            detail: $"The request body is larger than this site accepts ({MaxForwardedBytes / 1024} KB).",
            statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(context);
    }
}
