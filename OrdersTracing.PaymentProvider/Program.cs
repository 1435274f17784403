using OrdersTracing.PaymentProvider.PaymentIntents;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

builder.Services.AddOptions<PaymentProviderOptions>()
    .BindConfiguration(PaymentProviderOptions.SectionName)
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddProblemDetails();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddHttpClient<WebhookSender>();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapPaymentIntentsApi();
app.MapDefaultEndpoints();

app.Run();
