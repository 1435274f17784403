using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrdersTracing.Api.Problems;

public static class ProblemDetailsExtensions
{
    /// <summary>
    /// Every error is a ProblemDetails: a request the Api cannot read is a 4xx that says why, an unreachable database a 503,
    /// never a 500.
    /// </summary>
    public static IHostApplicationBuilder AddApiProblemDetails(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();

        // Binding failures become BadHttpRequestExceptions that BadRequestExceptionHandler explains, in every environment.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower)));

        return builder;
    }
}
