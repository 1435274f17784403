using Microsoft.Extensions.Logging;

namespace OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;

/// <summary>
/// Logs the first exception a detector caught, and no later one. A detector runs inside the application's own
/// <c>Activity.Start</c> and <c>Stop</c>, so it catches everything (its failure must never become theirs), and a fault
/// that repeats on every span must not flood the log either.
/// </summary>
internal sealed class DetectorFailureLog(ILogger logger, string detector)
{
    private int logged;

    public void Record(Exception exception)
    {
        if (Interlocked.Exchange(ref logged, 1) == 0)
        {
            QueryDetectionTelemetry.ProcessorFailed(logger, detector, exception);
        }
    }
}
