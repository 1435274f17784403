namespace OrdersTracing.Api.Scenarios;

public static class ScenarioExtensions
{
    public static IHostApplicationBuilder AddScenarios(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ScenarioOptions>()
            .BindConfiguration(ScenarioOptions.SectionName)
            .Validate(options => Enum.IsDefined(options.ItemLoading) && Enum.IsDefined(options.Payments),
                "Scenarios:ItemLoading must be Naive or Eager, and Scenarios:Payments Synchronous or Background.")
            .ValidateOnStart();

        return builder;
    }
}
