using System.ComponentModel.DataAnnotations;

namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// The thresholds of the detector family, Sentry's defaults unless a comment says why not. Sentry's names are quoted:
/// <c>performance.issues.*</c> are options registered in <c>src/sentry/options/defaults.py</c>, the others are fixed in
/// <c>get_detection_settings</c> (<c>src/sentry/utils/performance_issues/performance_detection.py</c>). The live
/// processors bind them from <c>Tracing:QueryDetection</c> and validate them at start-up, and the Trace doctor uses the
/// defaults, so that a trace the live detectors marked gets the same findings in the doctor.
/// </summary>
public class DetectionThresholds
{
    /// <summary>The configuration section the service binds; the messages below name their keys in it.</summary>
    public const string SectionName = "Tracing:QueryDetection";

    /// <summary>The default thresholds, for an analysis that is given none.</summary>
    public static DetectionThresholds Default { get; } = new();

    /// <summary>How many repeated queries after the source make an N+1: <c>performance.issues.n_plus_one_db.count_threshold</c> = 5.</summary>
    [Range(2, int.MaxValue, ErrorMessage = "Tracing:QueryDetection:MinimumRepeatedQueries must be at least 2.")]
    public int MinimumRepeatedQueries { get; set; } = 5;

    /// <summary>How long the repeated queries take together, overlaps counted once: <c>performance.issues.n_plus_one_db.duration_threshold</c> = 50 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Tracing:QueryDetection:MinimumTotalDuration must be between 0 and 1 day.")]
    public TimeSpan MinimumTotalDuration { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>A query at least this long is slow: <c>performance.issues.slow_db_query.duration_threshold</c> = 500 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ErrorMessage = "Tracing:QueryDetection:SlowQueryThreshold must be between 1 ms and 1 day.")]
    public TimeSpan SlowQueryThreshold { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How many calls to one URL template make an N+1 of HTTP calls: the N+1 API calls detector's <c>count</c> = 10.</summary>
    [Range(2, int.MaxValue, ErrorMessage = "Tracing:QueryDetection:MinimumRepeatedHttpCalls must be at least 2.")]
    public int MinimumRepeatedHttpCalls { get; set; } = 10;

    /// <summary>How long those calls take together: <c>performance.issues.n_plus_one_api_calls.total_duration</c> = 300 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Tracing:QueryDetection:MinimumHttpCallsTotalDuration must be between 0 and 1 day.")]
    public TimeSpan MinimumHttpCallsTotalDuration { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Calls starting this close to the previous one's start are concurrent; here also to its end, see
    /// <see cref="NPlusOneHttpDetector"/>: the N+1 API calls detector's <c>concurrency_threshold</c> = 5 ms.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Tracing:QueryDetection:HttpCallsConcurrencyThreshold must be between 0 and 1 minute.")]
    public TimeSpan HttpCallsConcurrencyThreshold { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>How many queries in a row the consecutive DB detector needs: <c>consecutive_count_threshold</c> = 2.</summary>
    [Range(2, int.MaxValue, ErrorMessage = "Tracing:QueryDetection:MinimumConsecutiveQueries must be at least 2.")]
    public int MinimumConsecutiveQueries { get; set; } = 2;

    /// <summary>Each independent query must last longer than this: the consecutive DB detector's <c>span_duration_threshold</c> = 30 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Tracing:QueryDetection:ConsecutiveQueryDuration must be between 0 and 1 day.")]
    public TimeSpan ConsecutiveQueryDuration { get; set; } = TimeSpan.FromMilliseconds(30);

    /// <summary>What running them in parallel must save at least: <c>performance.issues.consecutive_db.min_time_saved_threshold</c> = 100 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Tracing:QueryDetection:ConsecutiveQueriesMinimumTimeSaved must be between 0 and 1 day.")]
    public TimeSpan ConsecutiveQueriesMinimumTimeSaved { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>And as a share of their total time: the consecutive DB detector's <c>min_time_saved_ratio</c> = 0.1.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Tracing:QueryDetection:ConsecutiveQueriesMinimumTimeSavedRatio must be between 0 and 1.")]
    public double ConsecutiveQueriesMinimumTimeSavedRatio { get; set; } = 0.1;

    /// <summary>How many slow HTTP calls in a row: <c>performance.issues.consecutive_http.consecutive_count_threshold</c> = 3.</summary>
    [Range(2, int.MaxValue, ErrorMessage = "Tracing:QueryDetection:MinimumConsecutiveHttpCalls must be at least 2.")]
    public int MinimumConsecutiveHttpCalls { get; set; } = 3;

    /// <summary>Each must last longer than this: <c>performance.issues.consecutive_http.span_duration_threshold</c> = 500 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Tracing:QueryDetection:ConsecutiveHttpCallDuration must be between 0 and 1 day.")]
    public TimeSpan ConsecutiveHttpCallDuration { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>With less than this between one and the next: <c>performance.issues.consecutive_http.max_duration_between_spans</c> = 500 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Tracing:QueryDetection:ConsecutiveHttpCallsMaximumGap must be between 0 and 1 day.")]
    public TimeSpan ConsecutiveHttpCallsMaximumGap { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>And running them in parallel must save at least: <c>performance.issues.consecutive_http.min_time_saved_threshold</c> = 2000 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Tracing:QueryDetection:ConsecutiveHttpCallsMinimumTimeSaved must be between 0 and 1 day.")]
    public TimeSpan ConsecutiveHttpCallsMinimumTimeSaved { get; set; } = TimeSpan.FromMilliseconds(2000);

    /// <summary>How often a sequence of different queries must repeat: the MN+1 detector's <c>minimum_occurrences_of_pattern</c> = 3.</summary>
    [Range(2, int.MaxValue, ErrorMessage = "Tracing:QueryDetection:MinimumSequenceRepetitions must be at least 2.")]
    public int MinimumSequenceRepetitions { get; set; } = 3;

    /// <summary>The longest sequence looked for: the MN+1 detector's <c>max_sequence_length</c> = 5.</summary>
    [Range(2, 64, ErrorMessage = "Tracing:QueryDetection:MaximumSequenceLength must be between 2 and 64.")]
    public int MaximumSequenceLength { get; set; } = 5;

    /// <summary>How long the repetitions take together: the MN+1 detector's <c>total_duration_threshold</c> = 100 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Tracing:QueryDetection:MinimumSequenceTotalDuration must be between 0 and 1 day.")]
    public TimeSpan MinimumSequenceTotalDuration { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A response larger than this many bytes is a large payload: <c>performance.issues.large_http_payload.size_threshold</c> = 300 000.</summary>
    [Range(1L, long.MaxValue, ErrorMessage = "Tracing:QueryDetection:LargePayloadBytes must be at least 1.")]
    public long LargePayloadBytes { get; set; } = 300_000;
}
