using OrdersTracing.PaymentProvider.PaymentIntents;
using OrdersTracing.ServiceDefaults.Faults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

builder.Services.AddOptions<PaymentStandInOptions>()
    .BindConfiguration(PaymentStandInOptions.SectionName)
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddProblemDetails();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<ChargeLedger>();
builder.Services.AddSingleton<IdempotencyStore>();
builder.Services.AddSingleton<PaymentIntentStore>();
builder.AddPaymentFaults();
builder.Services.AddHttpClient<WebhookSender>();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapPaymentIntentsApi();
if (app.Environment.IsDevelopment())
{
    app.MapTestApi();
}

app.MapFaultControl();

app.MapDefaultEndpoints();

await app.SwitchOnConfiguredFaultsAsync();
app.Run();
