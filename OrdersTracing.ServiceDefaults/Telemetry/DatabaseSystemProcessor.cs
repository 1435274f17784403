using System.Diagnostics;
using OpenTelemetry;

namespace OrdersTracing.ServiceDefaults.Telemetry;

/// <summary>
/// Writes <c>db.system</c> next to <c>db.system.name</c> on every database span. Current instrumentations (Npgsql 10)
/// write only the new name, on commands, batches, COPY and connection opens alike; the Collector's servicegraph
/// connector and older backends still key on the old one.
/// </summary>
internal sealed class DatabaseSystemProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity activity)
    {
        if (activity.GetTagItem(TelemetryTags.DbSystemName) is string system && activity.GetTagItem(TelemetryTags.DbSystem) is null)
        {
            activity.SetTag(TelemetryTags.DbSystem, system);
        }
    }
}
