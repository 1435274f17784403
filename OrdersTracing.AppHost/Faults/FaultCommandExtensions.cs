using System.Text.Json;
using OrdersTracing.ServiceDefaults.Faults;

namespace OrdersTracing.AppHost.Faults;

/// <summary>
/// The fault catalogue on the dashboard: each service gets a command per fault kind it injects, which switches the
/// kind's default on (or off again) through the service's control endpoint, and one that switches all its faults off.
/// </summary>
public static class FaultCommandExtensions
{
    public const string AllOffCommand = "faults-all-off";

    public static string CommandName(FaultKind kind) => $"fault-{kind}";

    /// <summary>
    /// Commands only when the application runs locally: the control endpoint is mapped in Development only, and a
    /// deployed application has no button that breaks it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithFaultCommands(this IResourceBuilder<ProjectResource> service)
    {
        if (!service.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return service;
        }

        foreach (var entry in FaultCatalogue.Of(service.Resource.Name))
        {
            service.WithHttpCommand(
                FaultControlApi.TogglePath(entry.Kind),
                $"Fault: {entry.Title} (on/off)",
                endpointName: "http",
                commandName: CommandName(entry.Kind),
                commandOptions: new HttpCommandOptions
                {
                    Method = HttpMethod.Post,
                    Description = $"{entry.Kind}: {entry.Mechanism} Switched on with {Describe(entry.Default)}; again to switch it off.",
                    IconName = "Bug",
                    GetCommandResult = context => SaysWhetherOnAsync(entry, context),
                });
        }

        return service.WithHttpCommand(
            FaultControlApi.Path,
            "Faults: all off",
            endpointName: "http",
            commandName: AllOffCommand,
            commandOptions: new HttpCommandOptions
            {
                Method = HttpMethod.Delete,
                Description = "Switches off every fault this service injects.",
                IconName = "Checkmark",
            });
    }

    /// <summary>A toggle must say which way it went: the dashboard shows the message.</summary>
    private static async Task<ExecuteCommandResult> SaysWhetherOnAsync(FaultCatalogueEntry entry, HttpCommandResultContext context)
    {
        var body = await context.Response.Content.ReadAsStringAsync(context.CancellationToken);
        if (!context.Response.IsSuccessStatusCode)
        {
            return CommandResults.Failure($"{entry.Title} was not switched: {(int)context.Response.StatusCode} {body}");
        }

        var toggled = JsonSerializer.Deserialize<FaultToggled>(body, JsonSerializerOptions.Web);
        return CommandResults.Success(toggled is { On: true } ? $"{entry.Title}: on." : $"{entry.Title}: off.");
    }

    private static string Describe(FaultSpec spec) =>
        string.Join(", ", new[]
        {
            spec.Amount != 0 ? $"amount {spec.Amount}" : null,
            spec.Target is { } target ? $"target '{target}'" : null,
            spec.Attempts != 0 ? $"the first {spec.Attempts} attempt(s) of each payment" : null,
            spec.Probability < 1 ? $"probability {spec.Probability}" : null,
        }.OfType<string>().DefaultIfEmpty("its defaults"));
}
