using OrdersTracing.AppHost.Infrastructure;
using OrdersTracing.AppHost.Payments;
using OrdersTracing.AppHost.Postgres;

var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = builder.ChooseInfrastructure();

var ordersDb = builder.AddOrdersDatabase(infrastructure);
var tracing = builder.AddTracingBackends(infrastructure);

var api = builder.AddProject<Projects.OrdersTracing_Api>("api")
    .WithReference(ordersDb, OrdersDatabaseExtensions.ConnectionName)
    .WaitFor(ordersDb)
    .WithPaymentProvider(builder);

builder.AddProject<Projects.OrdersTracing_Web>("web")
    .WithExternalHttpEndpoints()
    .WithReference(api)
    .WaitFor(api)
    .WithTraceLinks(tracing);

builder.Build().Run();
