using System.Buffers;

namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// Reduces a SQL statement to its shape, so that the queries of one loop compare equal whatever their values, and
/// a metric tagged with a statement keeps one series per query instead of one per value.
/// </summary>
/// <remarks>
/// One pass over the text and one allocation, the result: this runs for every database span. Literals, numbers,
/// parameter placeholders (<c>$1</c>, <c>@p0</c>, <c>@name</c>, <c>?</c>) and <c>IN</c> lists become <c>?</c>,
/// comments and runs of whitespace one space; identifiers, quoted ones included, are kept as written.
/// </remarks>
public static class SqlNormalizer
{
    private const int StackBufferLength = 256;

    public static string Normalize(string? statement)
    {
        if (string.IsNullOrWhiteSpace(statement))
        {
            return string.Empty;
        }

        // Every rule keeps or shortens the text, so the result fits in a buffer as long as the statement.
        char[]? rented = null;
        Span<char> buffer = statement.Length <= StackBufferLength
            ? stackalloc char[StackBufferLength]
            : rented = ArrayPool<char>.Shared.Rent(statement.Length);
        try
        {
            var length = Write(statement, buffer);
            return new string(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static int Write(ReadOnlySpan<char> sql, Span<char> output)
    {
        var length = 0;
        var spacePending = false;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';

            if (char.IsWhiteSpace(c) || (c == '-' && next == '-') || (c == '/' && next == '*'))
            {
                i = SkipSpaceOrComment(sql, i);
                spacePending = length > 0;
                continue;
            }

            if (spacePending)
            {
                output[length++] = ' ';
                spacePending = false;
            }

            if (c == '\'')
            {
                i = SkipQuoted(sql, i, '\'');
                output[length++] = '?';
            }
            else if (char.IsAsciiDigit(c) || ((c == '$' || c == '@') && IsIdentifierPart(next)))
            {
                i = SkipIdentifierPart(sql, i + 1);
                output[length++] = '?';
            }
            else if (c == '"' || IsIdentifierStart(c))
            {
                var end = c == '"' ? SkipQuoted(sql, i, '"') : SkipIdentifierPart(sql, i + 1);
                sql[i..end].CopyTo(output[length..]);
                length += end - i;
                i = end;
            }
            else
            {
                output[length++] = c;
                i++;
                if (c == ')')
                {
                    length = CollapseInList(output, length);
                }
            }
        }

        return length;
    }

    private static int SkipSpaceOrComment(ReadOnlySpan<char> sql, int i)
    {
        if (sql[i] == '-')
        {
            var lineEnd = sql[i..].IndexOfAny('\n', '\r');
            return lineEnd < 0 ? sql.Length : i + lineEnd;
        }

        if (sql[i] == '/')
        {
            var commentEnd = sql[(i + 2)..].IndexOf("*/");
            return commentEnd < 0 ? sql.Length : i + 2 + commentEnd + 2;
        }

        return i + 1;
    }

    /// <summary>The index after a quoted literal or identifier starting at <paramref name="i"/>; a doubled quote is an escaped one.</summary>
    private static int SkipQuoted(ReadOnlySpan<char> sql, int i, char quote)
    {
        i++;
        while (i < sql.Length)
        {
            if (sql[i] == quote)
            {
                if (i + 1 < sql.Length && sql[i + 1] == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return sql.Length;
    }

    /// <summary>Identifier characters also cover a number's decimal point, exponent and hexadecimal digits.</summary>
    private static int SkipIdentifierPart(ReadOnlySpan<char> sql, int i)
    {
        while (i < sql.Length && (IsIdentifierPart(sql[i]) || (sql[i] == '.' && char.IsAsciiDigit(sql[i - 1]))))
        {
            i++;
        }

        return i;
    }

    /// <summary>
    /// <c>IN (?, ?, ?)</c> becomes <c>IN (?)</c>: a loop that filters on lists of different lengths still runs one query.
    /// </summary>
    private static int CollapseInList(Span<char> output, int length)
    {
        var open = output[..(length - 1)].LastIndexOf('(');
        if (open < 0)
        {
            return length;
        }

        var items = output[(open + 1)..(length - 1)];
        if (!items.Contains('?') || items.ContainsAnyExcept('?', ',', ' '))
        {
            return length;
        }

        var before = output[..open].TrimEnd(' ');
        var isInList = before.EndsWith("IN", StringComparison.OrdinalIgnoreCase)
            && (before.Length == 2 || !IsIdentifierPart(before[^3]));
        if (!isInList)
        {
            return length;
        }

        output[open + 1] = '?';
        output[open + 2] = ')';
        return open + 3;
    }

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '$';
}
