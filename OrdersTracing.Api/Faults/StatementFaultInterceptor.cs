using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OrdersTracing.ServiceDefaults.Faults;

namespace OrdersTracing.Api.Faults;

/// <summary>
/// The faults that strike a statement as EF Core is about to run it: a <c>pg_sleep</c> on the same connection and
/// transaction first (a slow statement the database really spends the time on, with its own span), or an exception
/// from below EF Core and the order services, as a bug in a data layer would throw.
/// </summary>
internal sealed class StatementFaultInterceptor(FaultSwitch faults) : DbCommandInterceptor
{
    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await StrikeAsync(command, cancellationToken);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await StrikeAsync(command, cancellationToken);
        return result;
    }

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await StrikeAsync(command, cancellationToken);
        return result;
    }

    private async Task StrikeAsync(DbCommand command, CancellationToken cancellationToken)
    {
        if (faults.Strikes(FaultKind.DeepException, out var exception) && Touches(command, exception.Target))
        {
            throw new InvalidOperationException($"Injected fault {FaultKind.DeepException}: a statement on '{exception.Target ?? "any table"}' was refused before it ran.");
        }

        if (faults.Strikes(FaultKind.SlowQuery, out var slow) && Touches(command, slow.Target))
        {
            await using var sleep = command.Connection!.CreateCommand();
            sleep.Transaction = command.Transaction;
            sleep.CommandText = string.Create(CultureInfo.InvariantCulture, $"SELECT pg_sleep({slow.Duration.TotalSeconds:0.###})");
            await sleep.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static bool Touches(DbCommand command, string? table) =>
        table is null || Regex.IsMatch(command.CommandText, $@"\b{Regex.Escape(table)}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
