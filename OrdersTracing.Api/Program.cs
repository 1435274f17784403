using OrdersTracing.Api.Admin;
using OrdersTracing.Api.Diagnostics;
using OrdersTracing.Api.Faults;
using OrdersTracing.Api.Hosting;
using OrdersTracing.Api.Orders;
using OrdersTracing.Api.Payments;
using OrdersTracing.Api.Problems;
using OrdersTracing.Api.Scenarios;
using OrdersTracing.Api.Tenancy;
using OrdersTracing.ServiceDefaults.Faults;
using OrdersTracing.ServiceDefaults.Telemetry.ResponseSize;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceAuthentication();
builder.AddOrders();
builder.AddPaymentProvider();
builder.AddApiProblemDetails();
builder.AddRequestLimits();
builder.AddScenarios();
builder.AddApiFaults();
builder.Services.AddSingleton(TimeProvider.System);

var app = builder.Build();

// First, so that the server span's http.response.body.size counts what every later middleware writes.
app.UseResponseBodySize();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapOrdersApi();
app.MapPaymentWebhooksApi();
app.MapPingApi();
if (app.Environment.IsDevelopment())
{
    app.MapSeedingApi();
    app.MapProcessStatsApi();
}

app.MapFaultControl();

app.MapDefaultEndpoints();

await app.MigrateOrdersDatabaseAsync();
app.Run();
