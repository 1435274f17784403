using Microsoft.Extensions.Options;
using OrdersTracing.PaymentProvider.PaymentIntents;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

builder.Services.AddOptions<PaymentProviderOptions>()
    .BindConfiguration(PaymentProviderOptions.SectionName)
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddProblemDetails();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<ChargeLedger>();
builder.Services.AddSingleton(services =>
    new ProviderFaultSwitch(new ProviderFaults(services.GetRequiredService<IOptions<PaymentProviderOptions>>().Value.FailureRate)));
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
