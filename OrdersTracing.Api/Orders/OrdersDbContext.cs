using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace OrdersTracing.Api.Orders;

public sealed class OrdersDbContext(DbContextOptions<OrdersDbContext> options) : DbContext(options)
{
    public const string ConnectionName = "ordersdb";

    public DbSet<Order> Orders => Set<Order>();

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

        var items = modelBuilder.Entity<OrderItem>().ToTable("order_items");
        items.Property(item => item.Sku).HasMaxLength(64);
        items.Property(item => item.UnitPrice).HasPrecision(12, 2);
    }
}
