using Microsoft.Extensions.Options;
using OrdersTracing.PaymentProvider.PaymentIntents;

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
builder.Services.AddSingleton(services =>
    new ProviderFaultSwitch(new ProviderFaults(services.GetRequiredService<IOptions<PaymentStandInOptions>>().Value.FailureRate)));
builder.Services.AddHttpClient<WebhookSender>();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapPaymentIntentsApi();
if (app.Environment.IsDevelopment())
{
    app.MapTestApi();
}

app.MapDefaultEndpoints();

app.Run();
