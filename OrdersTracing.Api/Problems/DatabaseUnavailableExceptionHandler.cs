using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace OrdersTracing.Api.Problems;

/// <summary>
/// Answers 503 with <c>Retry-After</c> while the database cannot be reached (stopped, restarting, refusing connections),
/// instead of a 500: the request was fine, nothing was saved, and the caller may send it again shortly.
/// </summary>
internal sealed class DatabaseUnavailableExceptionHandler(IProblemDetailsService problemDetails, ILogger<DatabaseUnavailableExceptionHandler> logger)
    : IExceptionHandler
{
    /// <summary>About how long a restarting Postgres takes to accept connections again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsDatabaseUnavailable(exception))
        {
            return false;
        }

        logger.LogWarning("The database is unavailable; answering 503: {Error}", exception.GetBaseException().Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The orders database is unavailable.",
                Detail = $"Nothing was saved. Try again in {RetryAfter.TotalSeconds:F0} s.",
            },
        });
    }

    /// <summary>
    /// A connection-level failure anywhere in the chain: one Npgsql calls transient, the one EF gives up on after its
    /// bounded retries, or the server saying it is shutting down or starting (SQLSTATE class 57P, operator intervention,
    /// and class 08, connection exception). A constraint violation or a bad statement is not: that stays a 500.
    /// </summary>
    public static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is RetryLimitExceededException
                or NpgsqlException { IsTransient: true }
                or PostgresException { SqlState: ['5', '7', 'P', ..] or ['0', '8', ..] })
            {
                return true;
            }
        }

        return false;
    }
}
