using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrdersTracing.ServiceDefaults.Identity;

/// <summary>Lets a client call another service on behalf of its signed-in user, as Web calls the Api.</summary>
public static class ServiceTokenExtensions
{
    /// <summary>Signs a token for every call of this client made with <see cref="ServiceTokenHandler.ActAs"/>, with the keys of <see cref="ServiceTokenOptions"/>.</summary>
    public static IHttpClientBuilder AddServiceTokens(this IHttpClientBuilder client)
    {
        client.Services.AddServiceTokenOptions();
        client.Services.TryAddSingleton(TimeProvider.System);
        client.Services.TryAddSingleton<ServiceTokenIssuer>();
        client.Services.TryAddTransient<ServiceTokenHandler>();
        return client.AddHttpMessageHandler<ServiceTokenHandler>();
    }

    /// <summary>The token settings from <see cref="ServiceTokenOptions.SectionName"/>, checked at start-up: a missing key stops the service before its first call.</summary>
    public static IServiceCollection AddServiceTokenOptions(this IServiceCollection services)
    {
        services.AddOptions<ServiceTokenOptions>()
            .BindConfiguration(ServiceTokenOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }
}
