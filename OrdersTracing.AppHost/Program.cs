using OrdersTracing.AppHost.Faults;
using OrdersTracing.AppHost.Identity;
using OrdersTracing.AppHost.Infrastructure;
using OrdersTracing.AppHost.Payments;
using OrdersTracing.AppHost.Postgres;
using OrdersTracing.AppHost.Redis;
using OrdersTracing.AppHost.Services;
using OrdersTracing.AppHost.Telemetry;

var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = builder.ChooseInfrastructure();
var telemetry = builder.AddTelemetryPipeline(infrastructure);

var ordersDb = builder.AddOrdersDatabase(infrastructure);
var cache = builder.AddOrderCache(infrastructure);
var payments = builder.AddPaymentProvider("payments", telemetry);
var serviceTokens = builder.AddServiceTokenKeys();

var api = builder.AddProject<Projects.OrdersTracing_Api>("api")
    .WithReplicasFromParameter(ServiceReplicasExtensions.ApiReplicasName)
    .WithTelemetry(telemetry)
    .WithServiceSettings()
    .WithHttpHealthCheck(ServiceHealth.Path)
    .WithReference(ordersDb, OrdersDatabaseResourceExtensions.ConnectionName)
    .WaitFor(ordersDb)
    .WithOrderCache(cache)
    .WithPaymentProvider(payments)
    .WithServiceTokenValidation(serviceTokens)
    .WithFaultCommands();

builder.AddProject<Projects.OrdersTracing_Web>("web")
    .WithTelemetry(telemetry)
    .WithServiceSettings()
    .WithHttpHealthCheck(ServiceHealth.Path)
    .WithExternalHttpEndpoints()
    .WithReference(api)
    .WaitFor(api)
    .WithServiceTokenSigning(serviceTokens)
    .WithTraceLinks(telemetry)
    .WithTraceStore(telemetry)
    .WithFaultCommands();

builder.Build().Run();
