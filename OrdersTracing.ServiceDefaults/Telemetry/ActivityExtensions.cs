using System.Diagnostics;

namespace OrdersTracing.ServiceDefaults.Telemetry;

public static class ActivityExtensions
{
    /// <summary>
    /// Marks the span failed the one way every backend understands: status Error with a short description,
    /// plus an <c>exception</c> event carrying type, message and stack trace.
    /// </summary>
    public static void RecordError(this Activity? activity, Exception exception, string? description = null)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, description ?? exception.Message);
        activity.AddException(exception);
    }
}
