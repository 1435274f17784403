namespace OrdersTracing.AppHost.Identity;

/// <summary>The keys of the tokens Web signs for the Api: the current one, and the one it replaces during a rotation.</summary>
public sealed record ServiceTokenKeys(IResourceBuilder<ParameterResource> Current, IResourceBuilder<ParameterResource> Previous);

/// <summary>
/// The signing keys as secret parameters, so that they live in the AppHost's secrets (or the deployment's) and no
/// service carries one in its own configuration.
/// </summary>
public static class ServiceTokenResourceExtensions
{
    public const string SigningKeyName = "service-token-signing-key";
    public const string PreviousSigningKeyName = "service-token-previous-signing-key";

    // The services' ServiceTokens options (ServiceDefaults' ServiceTokenOptions).
    public const string ConfigurationSection = "ServiceTokens";
    public const string SigningKeyVariable = $"{ConfigurationSection}__SigningKey";
    public const string PreviousSigningKeyVariable = $"{ConfigurationSection}__PreviousSigningKey";

    // Letters and digits only: 64 of them are about 380 bits, past the 256 HMAC-SHA256 asks for.
    private static readonly GenerateParameterDefault GeneratedKey = new() { MinLength = 64, Special = false };

    /// <summary>
    /// Generated for a run or a test, which nothing outside shares; a deployment is given both
    /// (<c>Parameters:service-token-signing-key</c>, and the previous key, the same one when no rotation is under way).
    /// </summary>
    public static ServiceTokenKeys AddServiceTokenKeys(this IDistributedApplicationBuilder builder) =>
        new(Key(builder, SigningKeyName), Key(builder, PreviousSigningKeyName));

    /// <summary>The Api accepts tokens signed with either key, so a rotation refuses no call in flight.</summary>
    public static IResourceBuilder<ProjectResource> WithServiceTokenValidation(this IResourceBuilder<ProjectResource> api, ServiceTokenKeys keys) => api
        .WithEnvironment(SigningKeyVariable, keys.Current)
        .WithEnvironment(PreviousSigningKeyVariable, keys.Previous);

    /// <summary>Web signs with the current key only; the previous one never leaves the AppHost for it.</summary>
    public static IResourceBuilder<ProjectResource> WithServiceTokenSigning(this IResourceBuilder<ProjectResource> web, ServiceTokenKeys keys) =>
        web.WithEnvironment(SigningKeyVariable, keys.Current);

    private static IResourceBuilder<ParameterResource> Key(IDistributedApplicationBuilder builder, string name)
    {
        if (!builder.ExecutionContext.IsRunMode)
        {
            return builder.AddParameter(name, secret: true);
        }

        return builder.CreateResourceBuilder(ParameterResourceBuilderExtensions.CreateGeneratedParameter(builder, name, secret: true, GeneratedKey));
    }
}
