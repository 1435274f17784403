using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace OrdersTracing.Api.Orders.Migrations
{
    /// <inheritdoc />
    public partial class OrderFormReferenceData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "countries",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_countries", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "currencies",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    minor_units = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_currencies", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "products",
                columns: table => new
                {
                    sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    unit_price = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_products", x => x.sku);
                });

            migrationBuilder.CreateTable(
                name: "shipping_options",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    price = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    delivery_days = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_shipping_options", x => x.code);
                });

            migrationBuilder.InsertData(
                table: "countries",
                columns: new[] { "code", "name" },
                values: new object[,]
                {
                    { "AT", "Austria" },
                    { "AU", "Australia" },
                    { "BE", "Belgium" },
                    { "CA", "Canada" },
                    { "CH", "Switzerland" },
                    { "CZ", "Czechia" },
                    { "DE", "Germany" },
                    { "DK", "Denmark" },
                    { "ES", "Spain" },
                    { "FI", "Finland" },
                    { "FR", "France" },
                    { "GB", "United Kingdom" },
                    { "IE", "Ireland" },
                    { "IT", "Italy" },
                    { "JP", "Japan" },
                    { "LU", "Luxembourg" },
                    { "NL", "Netherlands" },
                    { "NO", "Norway" },
                    { "NZ", "New Zealand" },
                    { "PL", "Poland" },
                    { "PT", "Portugal" },
                    { "SE", "Sweden" },
                    { "US", "United States" }
                });

            migrationBuilder.InsertData(
                table: "currencies",
                columns: new[] { "code", "minor_units", "name" },
                values: new object[,]
                {
                    { "aud", 2, "Australian dollar" },
                    { "cad", 2, "Canadian dollar" },
                    { "chf", 2, "Swiss franc" },
                    { "dkk", 2, "Danish krone" },
                    { "eur", 2, "Euro" },
                    { "gbp", 2, "Pound sterling" },
                    { "jpy", 0, "Japanese yen" },
                    { "nok", 2, "Norwegian krone" },
                    { "sek", 2, "Swedish krona" },
                    { "usd", 2, "US dollar" }
                });

            migrationBuilder.InsertData(
                table: "products",
                columns: new[] { "sku", "name", "unit_price" },
                values: new object[,]
                {
                    { "cocoa", "Cocoa, 200 g", 6.20m },
                    { "coffee", "Coffee beans, 250 g", 9.50m },
                    { "decaf", "Decaf coffee, 250 g", 9.90m },
                    { "espresso", "Espresso beans, 250 g", 10.90m },
                    { "filter", "Coffee filters, 100", 2.50m },
                    { "green-tea", "Green tea, 100 g", 5.50m },
                    { "grinder", "Hand grinder", 49.00m },
                    { "herbal-tea", "Herbal tea, 20 bags", 3.90m },
                    { "honey", "Honey, 250 g", 7.80m },
                    { "mug", "Mug", 12.00m },
                    { "tea", "Black tea, 100 g", 4.00m },
                    { "teapot", "Teapot, 1 l", 34.00m }
                });

            migrationBuilder.InsertData(
                table: "shipping_options",
                columns: new[] { "code", "delivery_days", "name", "price" },
                values: new object[,]
                {
                    { "economy", 8, "Economy", 2.90m },
                    { "express", 1, "Express", 14.90m },
                    { "pickup", 0, "Pick up in store", 0.00m },
                    { "standard", 4, "Standard", 4.90m }
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "countries");

            migrationBuilder.DropTable(
                name: "currencies");

            migrationBuilder.DropTable(
                name: "products");

            migrationBuilder.DropTable(
                name: "shipping_options");
        }
    }
}
