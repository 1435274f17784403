namespace OrdersTracing.Api.Orders;

/// <summary>A currency an order can be paid in; <see cref="MinorUnits"/> is ISO 4217's exponent (cents: 2).</summary>
public sealed record Currency(string Code, string Name, int MinorUnits);

/// <summary>A country orders are shipped to, by its ISO 3166-1 alpha-2 code.</summary>
public sealed record Country(string Code, string Name);

/// <summary>A way of shipping an order and what it costs, in US dollars.</summary>
public sealed record ShippingOption(string Code, string Name, decimal Price, int DeliveryDays);

/// <summary>A product of the catalogue, the same for every tenant.</summary>
public sealed record Product(string Sku, string Name, decimal UnitPrice);

/// <summary>
/// What the order form offers: the same for every tenant and every request, four global tables that the migrations
/// seed (<c>OrderFormReferenceData</c>).
/// </summary>
public sealed record OrderFormData(
    IReadOnlyList<Currency> Currencies,
    IReadOnlyList<Country> Countries,
    IReadOnlyList<ShippingOption> ShippingOptions,
    IReadOnlyList<Product> Products)
{
    public static IReadOnlyList<Currency> SeededCurrencies { get; } =
    [
        new("aud", "Australian dollar", 2), new("cad", "Canadian dollar", 2), new("chf", "Swiss franc", 2),
        new("dkk", "Danish krone", 2), new("eur", "Euro", 2), new("gbp", "Pound sterling", 2),
        new("jpy", "Japanese yen", 0), new("nok", "Norwegian krone", 2), new("sek", "Swedish krona", 2),
        new("usd", "US dollar", 2),
    ];

    public static IReadOnlyList<Country> SeededCountries { get; } =
    [
        new("AT", "Austria"), new("AU", "Australia"), new("BE", "Belgium"), new("CA", "Canada"), new("CH", "Switzerland"),
        new("CZ", "Czechia"), new("DE", "Germany"), new("DK", "Denmark"), new("ES", "Spain"), new("FI", "Finland"),
        new("FR", "France"), new("GB", "United Kingdom"), new("IE", "Ireland"), new("IT", "Italy"), new("JP", "Japan"),
        new("LU", "Luxembourg"), new("NL", "Netherlands"), new("NO", "Norway"), new("NZ", "New Zealand"), new("PL", "Poland"),
        new("PT", "Portugal"), new("SE", "Sweden"), new("US", "United States"),
    ];

    public static IReadOnlyList<ShippingOption> SeededShippingOptions { get; } =
    [
        new("express", "Express", 14.90m, 1), new("pickup", "Pick up in store", 0.00m, 0),
        new("standard", "Standard", 4.90m, 4), new("economy", "Economy", 2.90m, 8),
    ];

    public static IReadOnlyList<Product> SeededProducts { get; } =
    [
        new("tea", "Black tea, 100 g", 4.00m), new("green-tea", "Green tea, 100 g", 5.50m),
        new("herbal-tea", "Herbal tea, 20 bags", 3.90m), new("coffee", "Coffee beans, 250 g", 9.50m),
        new("espresso", "Espresso beans, 250 g", 10.90m), new("decaf", "Decaf coffee, 250 g", 9.90m),
        new("cocoa", "Cocoa, 200 g", 6.20m), new("mug", "Mug", 12.00m), new("teapot", "Teapot, 1 l", 34.00m),
        new("filter", "Coffee filters, 100", 2.50m), new("grinder", "Hand grinder", 49.00m), new("honey", "Honey, 250 g", 7.80m),
    ];
}
