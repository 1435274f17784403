using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OrdersTracing.Api.Orders;
using OrdersTracing.Api.Payments;
using OrdersTracing.Api.Problems;
using OrdersTracing.ServiceDefaults.Telemetry;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

builder.AddNpgsqlDbContext<OrdersDbContext>(OrdersDbContext.ConnectionName, configureDbContextOptions: options => options
    .UseSnakeCaseNamingConvention()
    .UseNpgsql(npgsql => npgsql.ConfigureDataSource(dataSource => dataSource.ConfigureTracing(tracing => tracing
        // Npgsql 10 writes db.system.name only; the Collector's servicegraph connector and older backends key on db.system.
        .ConfigureCommandEnrichmentCallback((activity, _) => activity.SetTag(TelemetryTags.DbSystem, "postgresql"))))));

builder.Services.AddOptions<PaymentProviderOptions>()
    .BindConfiguration(PaymentProviderOptions.SectionName)
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddHttpClient<PaymentProviderClient>((services, http) =>
    http.BaseAddress = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PaymentProviderOptions>>().Value.BaseUrl);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.ConfigureHttpJsonOptions(options =>
    options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower)));

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapOrdersApi();
app.MapDefaultEndpoints();

await app.MigrateOrdersDatabaseAsync();
app.Run();
