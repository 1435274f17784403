using System.Text.RegularExpressions;

namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// Reduces a statement to its shape, so that the same query with different values, or with different
/// placeholders for them, compares equal; it also keeps literal values (customer data) out of findings.
/// </summary>
public static partial class SqlStatement
{
    public static string Normalise(string statement)
    {
        ArgumentNullException.ThrowIfNull(statement);

        var shape = StringLiteral().Replace(statement, "?");
        shape = Placeholder().Replace(shape, "?");
        shape = Number().Replace(shape, "?");
        shape = InList().Replace(shape, "IN (?)");
        return Whitespace().Replace(shape, " ").Trim();
    }

    [GeneratedRegex(@"'(?:[^']|'')*'")]
    private static partial Regex StringLiteral();

    /// <summary>Npgsql's <c>$1</c>, SQL Server's <c>@p0</c> and <c>@name</c>, JDBC's <c>?</c>.</summary>
    [GeneratedRegex(@"\$\d+|@\w+|\?")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")]
    private static partial Regex Number();

    [GeneratedRegex(@"\bIN\s*\(\s*\?(?:\s*,\s*\?)*\s*\)", RegexOptions.IgnoreCase)]
    private static partial Regex InList();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
