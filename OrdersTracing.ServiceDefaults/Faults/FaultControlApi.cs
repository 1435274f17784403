using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace OrdersTracing.ServiceDefaults.Faults;

/// <summary>
/// A service's fault switches over HTTP, for tests and for the dashboard's commands. It breaks the service on
/// request and asks nobody who they are: mapped in Development, or where <c>Faults:ControlEnabled</c> says so.
/// </summary>
public static class FaultControlApi
{
    public const string Path = "/test/faults";
    public const string ControlEnabledKey = "Faults:ControlEnabled";

    /// <summary>The path a dashboard command posts to, to switch a kind's default on or off.</summary>
    public static string TogglePath(FaultKind kind) => $"{Path}/{kind}/toggle";

    public static IEndpointRouteBuilder MapFaultControl(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment() && !app.Configuration.GetValue<bool>(ControlEnabledKey))
        {
            return app;
        }

        var faults = app.MapGroup(Path).WithTags("Faults");
        faults.MapGet("", (FaultControl control) => TypedResults.Ok(control.Active));
        faults.MapPut("", SwitchOnAsync);
        faults.MapDelete("", async (FaultControl control, CancellationToken cancellationToken) =>
        {
            await control.SwitchAllOffAsync(cancellationToken);
            return TypedResults.NoContent();
        });
        faults.MapDelete("/{kind}", SwitchOffAsync);
        faults.MapPost("/{kind}/toggle", ToggleAsync);
        return app;
    }

    private static async Task<Results<Ok<FaultSpec>, ValidationProblem>> SwitchOnAsync(
        FaultSpec spec, FaultControl control, CancellationToken cancellationToken)
    {
        var errors = control.Check(spec);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The fault is not valid.");
        }

        await control.SwitchOnAsync(spec, cancellationToken);
        return TypedResults.Ok(spec);
    }

    private static async Task<Results<NoContent, NotFound, ValidationProblem>> SwitchOffAsync(
        string kind, FaultControl control, CancellationToken cancellationToken)
    {
        if (!TryParseKind(kind, out var parsed, out var problem))
        {
            return problem;
        }

        return await control.SwitchOffAsync(parsed, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    /// <summary>The catalogue's default when the kind is off, nothing when it is on: one dashboard button per kind.</summary>
    private static async Task<Results<Ok<FaultToggled>, ValidationProblem>> ToggleAsync(
        string kind, FaultControl control, CancellationToken cancellationToken)
    {
        if (!TryParseKind(kind, out var parsed, out var problem))
        {
            return problem;
        }

        if (await control.SwitchOffAsync(parsed, cancellationToken))
        {
            return TypedResults.Ok(new FaultToggled(parsed, On: false));
        }

        var spec = FaultCatalogue.Of(parsed).Default;
        var errors = control.Check(spec);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The fault cannot be switched on here.");
        }

        await control.SwitchOnAsync(spec, cancellationToken);
        return TypedResults.Ok(new FaultToggled(parsed, On: true));
    }

    private static bool TryParseKind(string kind, out FaultKind parsed, out ValidationProblem problem)
    {
        problem = null!;
        if (Enum.TryParse(kind, ignoreCase: true, out parsed) && Enum.IsDefined(parsed) && !int.TryParse(kind, out _))
        {
            return true;
        }

        problem = TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { ["kind"] = [$"'{kind}' is not a fault kind; the kinds are {string.Join(", ", Enum.GetNames<FaultKind>())}."] },
            title: "The fault kind is not known.");
        return false;
    }
}

public sealed record FaultToggled([property: JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))] FaultKind Kind, bool On);
