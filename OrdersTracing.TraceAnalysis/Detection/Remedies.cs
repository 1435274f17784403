namespace OrdersTracing.TraceAnalysis;

/// <summary>What to do about each kind of finding, in the words the Trace doctor shows.</summary>
public static class Remedies
{
    public static string For(FindingKind kind) => kind switch
    {
        FindingKind.NPlusOneDb => "load them in one query with eager loading",
        FindingKind.SlowDbQuery => "check the index on the filtered columns",
        FindingKind.NPlusOneHttp => "fetch them in one call for the whole page",
        FindingKind.ConsecutiveDb => "run the independent queries in parallel",
        FindingKind.ConsecutiveHttp => "make the independent calls in parallel",
        FindingKind.MNPlusOneDb => "load the repeated sequence once for all items",
        FindingKind.LargeHttpPayload => "page or stream the response",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A finding kind without a remedy."),
    };

    /// <summary>The finding's name as a person reads it.</summary>
    public static string Title(FindingKind kind) => kind switch
    {
        FindingKind.NPlusOneDb => "N+1 queries",
        FindingKind.SlowDbQuery => "slow query",
        FindingKind.NPlusOneHttp => "N+1 HTTP calls",
        FindingKind.ConsecutiveDb => "consecutive queries",
        FindingKind.ConsecutiveHttp => "consecutive slow HTTP calls",
        FindingKind.MNPlusOneDb => "repeating query sequence (MN+1)",
        FindingKind.LargeHttpPayload => "large HTTP payload",
        _ => kind.ToString(),
    };
}
