using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace OrdersTracing.Api.Orders;

public sealed class OrdersDbContext(DbContextOptions<OrdersDbContext> options) : DbContext(options)
{
    public const string ConnectionName = "ordersdb";
    public const string TenantCreatedAtIndex = "ix_orders_tenant_id_created_at";

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<PaymentRequest> PaymentRequests => Set<PaymentRequest>();

    public DbSet<Currency> Currencies => Set<Currency>();

    public DbSet<Country> Countries => Set<Country>();

    public DbSet<ShippingOption> ShippingOptions => Set<ShippingOption>();

    public DbSet<Product> Products => Set<Product>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var orders = modelBuilder.Entity<Order>();
        orders.Property(order => order.Id).ValueGeneratedNever();
        orders.Property(order => order.TenantId).HasMaxLength(63);
        orders.Property(order => order.UserId).HasMaxLength(63);
        orders.Property(order => order.Total).HasPrecision(12, 2);
        orders.Property(order => order.Currency).HasMaxLength(3);
        orders.Property(order => order.PaymentId).HasMaxLength(255);
        orders.Property(order => order.PaymentError).HasMaxLength(500);
        orders.Property(order => order.PaymentStatus)
            .HasMaxLength(32)
            .HasConversion(
                status => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString()),
                value => Enum.Parse<PaymentStatus>(value.Replace("_", ""), ignoreCase: true));
        orders.HasMany(order => order.Items).WithOne().HasForeignKey(item => item.OrderId);

        // A tenant's orders, newest first: without it a large tenant's listing scans and sorts the whole table.
        orders.HasIndex(order => new { order.TenantId, order.CreatedAt }).HasDatabaseName(TenantCreatedAtIndex);

        var items = modelBuilder.Entity<OrderItem>().ToTable("order_items");
        items.Property(item => item.Sku).HasMaxLength(64);
        items.Property(item => item.UnitPrice).HasPrecision(12, 2);

        var payments = modelBuilder.Entity<PaymentRequest>().ToTable("payment_outbox");
        payments.HasKey(payment => payment.OrderId);
        payments.Property(payment => payment.TenantId).HasMaxLength(63);
        payments.Property(payment => payment.PaymentMethod).HasMaxLength(100);
        payments.Property(payment => payment.TraceParent).HasMaxLength(55);
        payments.Property(payment => payment.TraceState).HasMaxLength(512);
        payments.Property(payment => payment.LastError).HasMaxLength(500);
        payments.HasOne<Order>().WithOne().HasForeignKey<PaymentRequest>(payment => payment.OrderId);

        // The worker's query: what is still to be paid, oldest first.
        payments.HasIndex(payment => payment.CreatedAt).HasFilter("processed_at IS NULL");

        // The order form's reference data: global tables with no tenant, seeded by the migrations.
        var currencies = modelBuilder.Entity<Currency>();
        currencies.HasKey(currency => currency.Code);
        currencies.Property(currency => currency.Code).HasMaxLength(3);
        currencies.Property(currency => currency.Name).HasMaxLength(100);
        currencies.HasData(OrderFormData.SeededCurrencies);

        var countries = modelBuilder.Entity<Country>();
        countries.HasKey(country => country.Code);
        countries.Property(country => country.Code).HasMaxLength(2);
        countries.Property(country => country.Name).HasMaxLength(100);
        countries.HasData(OrderFormData.SeededCountries);

        var shipping = modelBuilder.Entity<ShippingOption>();
        shipping.HasKey(option => option.Code);
        shipping.Property(option => option.Code).HasMaxLength(32);
        shipping.Property(option => option.Name).HasMaxLength(100);
        shipping.Property(option => option.Price).HasPrecision(12, 2);
        shipping.HasData(OrderFormData.SeededShippingOptions);

        var products = modelBuilder.Entity<Product>();
        products.HasKey(product => product.Sku);
        products.Property(product => product.Sku).HasMaxLength(64);
        products.Property(product => product.Name).HasMaxLength(200);
        products.Property(product => product.UnitPrice).HasPrecision(12, 2);
        products.HasData(OrderFormData.SeededProducts);
    }
}
