using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OrdersTracing.Api.Orders;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.Api.Payments.Outbox;

/// <summary>
/// Charges the payments that orders left in the outbox, off the request path. Each payment is its own trace, linked
/// to the request that placed the order. Rows are claimed with <c>FOR UPDATE SKIP LOCKED</c> and settled in the
/// same transaction, and the provider sees the order id as idempotency key: after a crash a payment is retried,
/// never charged twice.
/// </summary>
public sealed class PaymentOutboxWorker(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<PaymentOutboxOptions> options,
    ILogger<PaymentOutboxWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var round = await ProcessBatchAsync(settings, stoppingToken);
                if (round.Deferred > 0)
                {
                    // The provider is unavailable (or its circuit is open): claiming the same rows again at once would
                    // spend their attempts in milliseconds.
                    await Task.Delay(settings.RetryDelay, clock, stoppingToken);
                }
                else if (round.Taken == 0)
                {
                    await Task.Delay(settings.PollInterval, clock, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The database may be restarting: the rows stay in the outbox and the next round takes them.
                logger.LogWarning(exception, "Processing the payment outbox failed; retrying in {Delay}.", settings.RetryDelay);
                await Task.Delay(settings.RetryDelay, clock, stoppingToken);
            }
        }
    }

    /// <summary>Claims and settles one batch; says how many payments it took and how many it left for a later round.</summary>
    internal async Task<OutboxRound> ProcessBatchAsync(PaymentOutboxOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        var payments = scope.ServiceProvider.GetRequiredService<OrderPayments>();

        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            // A retried round must read the rows afresh, not the changes of the round that failed.
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

            List<PaymentRequest> due;
            // An empty outbox polled every few hundred milliseconds is not worth a trace.
            using (SuppressInstrumentationScope.Begin())
            {
                due = await db.PaymentRequests
                    .FromSql($"SELECT * FROM payment_outbox WHERE processed_at IS NULL ORDER BY created_at LIMIT {settings.BatchSize} FOR UPDATE SKIP LOCKED")
                    .ToListAsync(cancellationToken);
            }

            var deferred = 0;
            foreach (var request in due)
            {
                if (!await ProcessAsync(db, payments, request, settings, cancellationToken))
                {
                    deferred++;
                }
            }

            await transaction.CommitAsync(cancellationToken);
            return new OutboxRound(due.Count, deferred);
        });
    }

    /// <summary>Settles one payment; <see langword="false"/> when it is left for a later round.</summary>
    private async Task<bool> ProcessAsync(
        OrdersDbContext db, OrderPayments payments, PaymentRequest request, PaymentOutboxOptions settings, CancellationToken cancellationToken)
    {
        var requestContext = request.RequestContext;
        using var activity = OrdersTelemetry.Source.StartActivity(
            OrdersTelemetry.Spans.ProcessPayment,
            ActivityKind.Consumer,
            parentContext: default,
            links: requestContext == default ? null : [new ActivityLink(requestContext)]);
        activity?.SetTag(TelemetryTags.OrderId, request.OrderId);
        activity?.SetTag(TelemetryTags.TenantId, request.TenantId);
        activity?.SetTag(TelemetryTags.PaymentAttempt, request.Attempts + 1);

        var order = await db.Orders.SingleAsync(order => order.Id == request.OrderId && order.TenantId == request.TenantId, cancellationToken);
        if (order.PaymentStatus != PaymentStatus.Pending)
        {
            // Settled meanwhile, by the provider's webhook after an attempt that timed out.
            request.ProcessedAt = clock.GetUtcNow();
            activity?.SetTag(TelemetryTags.PaymentStatus, order.PaymentStatus.ToString());
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }

        var result = await payments.ChargeAsync(order, request.PaymentMethod, cancellationToken);

        request.Attempts++;
        request.LastError = result.Error;
        if (result.Failure == PaymentFailure.Unavailable && request.Attempts < settings.MaxAttempts)
        {
            // Leave the row for a later round; the idempotency key makes the retry safe if this attempt did charge.
            activity?.SetTag(TelemetryTags.PaymentStatus, OrdersTelemetry.PaymentStatuses.RetryLater);
            await db.SaveChangesAsync(cancellationToken);
            return false;
        }

        request.ProcessedAt = clock.GetUtcNow();
        await payments.RecordAsync(order, result, cancellationToken);
        activity?.SetTag(TelemetryTags.PaymentStatus, order.PaymentStatus.ToString());
        if (!result.Succeeded)
        {
            activity.RecordPaymentFailure(order.Id, result);
        }

        return true;
    }
}

/// <summary>One round of the outbox: the payments claimed, and those left for a later round.</summary>
public readonly record struct OutboxRound(int Taken, int Deferred);
