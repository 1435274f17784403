using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;

namespace OrdersTracing.ServiceDefaults.Faults;

/// <summary>A fault's route target: a path prefix, and the method when one is given (<c>POST /api/orders</c>).</summary>
public sealed record FaultRoute(string? Method, PathString Path)
{
    public static bool TryParse(string? target, [NotNullWhen(true)] out FaultRoute? route)
    {
        route = null;
        if (string.IsNullOrWhiteSpace(target))
        {
            return false;
        }

        var parts = target.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var (method, path) = parts.Length switch
        {
            1 => (null, parts[0]),
            2 => (parts[0].ToUpperInvariant(), parts[1]),
            _ => (null, string.Empty),
        };
        if (!path.StartsWith('/') || (method is not null && !method.All(char.IsAsciiLetterUpper)))
        {
            return false;
        }

        route = new FaultRoute(method, new PathString(path.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/"));
        return true;
    }

    public bool Matches(HttpRequest request) =>
        (Method is null || string.Equals(request.Method, Method, StringComparison.OrdinalIgnoreCase))
        && (Path == "/" || request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase));
}
