using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OrdersTracing.Api.Scenarios;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.Api.Tenancy;

namespace OrdersTracing.Api.Orders;

/// <summary>
/// The order form's reference data: the consecutive-queries scenario. Its four tables are global, so each query has
/// no <c>WHERE</c> and no parameter and none needs another's result: one after another they cost four round trips,
/// sent together one.
/// </summary>
public sealed class OrderForms(OrdersDbContext db)
{
    // The batch's statements, in the order its result sets are read.
    private const string CurrenciesSql = "SELECT code, name, minor_units FROM currencies ORDER BY code";
    private const string CountriesSql = "SELECT code, name FROM countries ORDER BY name";
    private const string ShippingOptionsSql = "SELECT code, name, price, delivery_days FROM shipping_options ORDER BY price";
    private const string ProductsSql = "SELECT sku, name, unit_price FROM products ORDER BY name";

    public async Task<OrderFormData> LoadAsync(CallerIdentity caller, ReferenceDataQueries queries, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.StartActivity(OrdersTelemetry.Spans.LoadOrderForm, caller);
        activity?.SetTag(OrdersTelemetry.Tags.ReferenceDataQueries, queries.ToString());

        return queries == ReferenceDataQueries.Sequential
            ? await LoadOneAfterAnotherAsync(cancellationToken)
            : await LoadInOneBatchAsync(cancellationToken);
    }

    private async Task<OrderFormData> LoadOneAfterAnotherAsync(CancellationToken cancellationToken) => new(
        await db.Currencies.AsNoTracking().OrderBy(currency => currency.Code).ToListAsync(cancellationToken),
        await db.Countries.AsNoTracking().OrderBy(country => country.Name).ToListAsync(cancellationToken),
        await db.ShippingOptions.AsNoTracking().OrderBy(option => option.Price).ToListAsync(cancellationToken),
        await db.Products.AsNoTracking().OrderBy(product => product.Name).ToListAsync(cancellationToken));

    /// <summary>
    /// The four statements in one <see cref="NpgsqlBatch"/>: one round trip, four result sets (what Dapper's
    /// <c>QueryMultiple</c> does; EF Core sends one query per LINQ query). In parallel, on four contexts, the queries
    /// would need four connections, and whether four one-millisecond queries overlap is up to the machine's load.
    /// </summary>
    private async Task<OrderFormData> LoadInOneBatchAsync(CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection())
            {
                BatchCommands = { new(CurrenciesSql), new(CountriesSql), new(ShippingOptionsSql), new(ProductsSql) },
            };
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            var currencies = await ReadAsync(reader, row => new Currency(row.GetString(0), row.GetString(1), row.GetInt32(2)), cancellationToken);
            var countries = await ReadAsync(reader, row => new Country(row.GetString(0), row.GetString(1)), cancellationToken);
            var shipping = await ReadAsync(reader, row => new ShippingOption(row.GetString(0), row.GetString(1), row.GetDecimal(2), row.GetInt32(3)), cancellationToken);
            var products = await ReadAsync(reader, row => new Product(row.GetString(0), row.GetString(1), row.GetDecimal(2)), cancellationToken);
            return new OrderFormData(currencies, countries, shipping, products);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The rows of the reader's current result set, then on to the next one.</summary>
    private static async Task<List<T>> ReadAsync<T>(DbDataReader reader, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        await reader.NextResultAsync(cancellationToken);
        return rows;
    }
}
