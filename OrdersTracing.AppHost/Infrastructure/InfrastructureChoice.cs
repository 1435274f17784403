using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrdersTracing.AppHost.Infrastructure;

/// <summary>
/// Which way infrastructure is provisioned, and why; the helpers that add resources read <see cref="UsesContainers"/>
/// and add to <see cref="Notes"/>, and the whole story is logged in one line at start-up.
/// </summary>
public sealed class InfrastructureChoice(InfrastructureMode mode, string reason)
{
    public const string ConfigurationKey = "Infrastructure:Mode";

    public InfrastructureMode Mode { get; } = mode;

    public string Reason { get; } = reason;

    public List<string> Notes { get; } = [];

    public bool UsesContainers => Mode == InfrastructureMode.Containers;

    public string Describe() =>
        string.Join(" ", [$"Infrastructure: {(UsesContainers ? "containers" : "local processes")} ({Reason}).", .. Notes]);
}

/// <summary>Makes the choice once, before any resource is added, so that every helper provisions the same way.</summary>
public static class InfrastructureChoiceExtensions
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Reads <c>Infrastructure:Mode</c> and, for <c>Auto</c>, asks the container runtime whether it answers.</summary>
    public static InfrastructureChoice ChooseInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration[InfrastructureChoice.ConfigurationKey];
        if (!Enum.TryParse<InfrastructureMode>(configured ?? nameof(InfrastructureMode.Auto), ignoreCase: true, out var mode)
            || !Enum.IsDefined(mode))
        {
            throw new DistributedApplicationException(
                $"{InfrastructureChoice.ConfigurationKey} is '{configured}'; it must be Auto, Containers or Local.");
        }

        var choice = mode switch
        {
            _ when builder.ExecutionContext.IsPublishMode =>
                new InfrastructureChoice(InfrastructureMode.Containers, "a published application runs in containers"),
            InfrastructureMode.Containers => new InfrastructureChoice(mode, $"{InfrastructureChoice.ConfigurationKey}=Containers"),
            InfrastructureMode.Local => new InfrastructureChoice(mode, $"{InfrastructureChoice.ConfigurationKey}=Local"),
            _ => ProbeContainerRuntime(builder.Configuration),
        };

        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            @event.Services.GetRequiredService<ILogger<InfrastructureChoice>>().LogInformation("{Infrastructure}", choice.Describe());
            return Task.CompletedTask;
        });

        return choice;
    }

    private static InfrastructureChoice ProbeContainerRuntime(IConfiguration configuration)
    {
        var runtime = configuration["ASPIRE_CONTAINER_RUNTIME"] is { Length: > 0 } configured ? configured : "docker";
        var (answered, detail) = RunProbe(runtime);

        return answered
            ? new InfrastructureChoice(InfrastructureMode.Containers, $"Auto: {runtime} {detail} answered")
            : new InfrastructureChoice(InfrastructureMode.Local, $"Auto: {runtime} did not answer: {detail}");
    }

    private static (bool Answered, string Detail) RunProbe(string runtime)
    {
        var start = new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(ProbeTimeout))
            {
                process.Kill(entireProcessTree: true);
                return (false, $"no answer within {ProbeTimeout.TotalSeconds:0} s");
            }

            return process.ExitCode == 0
                ? (true, output.Result.Trim())
                : (false, FirstLine(error.Result) ?? $"exit code {process.ExitCode}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (false, $"'{runtime}' is not installed");
        }
    }

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
