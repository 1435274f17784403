using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace OrdersTracing.ServiceDefaults.Faults;

/// <summary>Names the kinds a service injects; the control endpoint refuses the others with a clear message.</summary>
public sealed class FaultsBuilder(IServiceCollection services, HashSet<FaultKind> kinds)
{
    public IServiceCollection Services { get; } = services;

    /// <summary>A kind injected at its own points in the service's code, reading the <see cref="FaultSwitch"/>.</summary>
    public FaultsBuilder Inject(params FaultKind[] injected)
    {
        kinds.UnionWith(injected);
        return this;
    }

    /// <summary>A kind that changes state when switched, done by <typeparamref name="TMechanism"/>.</summary>
    public FaultsBuilder Inject<TMechanism>(FaultKind kind) where TMechanism : class, IFaultMechanism
    {
        kinds.Add(kind);
        // Also as itself: the feature's own code may ask its mechanism what state it is in.
        Services.AddSingleton<TMechanism>();
        Services.AddSingleton<IFaultMechanism>(services => services.GetRequiredService<TMechanism>());
        return this;
    }
}

public static class FaultExtensions
{
    /// <summary>
    /// The fault switch of <paramref name="service"/> (a name of <see cref="FaultCatalogue.Services"/>); called again,
    /// it adds to the same service's kinds, so a feature registers its own fault beside its code.
    /// </summary>
    public static FaultsBuilder AddFaults(this IHostApplicationBuilder builder, string service)
    {
        if (builder.Services.FirstOrDefault(descriptor => descriptor.ServiceType == typeof(FaultSupport))?.ImplementationInstance is FaultSupport existing)
        {
            return existing.Service == service
                ? new FaultsBuilder(builder.Services, (HashSet<FaultKind>)existing.Kinds)
                : throw new InvalidOperationException($"Faults are registered for '{existing.Service}'; a process injects the faults of one service, not also '{service}'.");
        }

        var kinds = new HashSet<FaultKind>();
        builder.Services.AddSingleton(new FaultSupport(service, kinds));
        builder.Services.AddSingleton<FaultSwitch>();
        builder.Services.AddSingleton<FaultControl>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, RouteFaultStartupFilter>());
        return new FaultsBuilder(builder.Services, kinds);
    }

    private sealed class RouteFaultStartupFilter : IStartupFilter
    {
        // First in the pipeline, so the fault's time is the server span's own, before any handler or child span.
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<RouteFaultMiddleware>();
            next(app);
        };
    }
}
