using Microsoft.AspNetCore.Authentication.Cookies;
using OrdersTracing.ServiceDefaults.Faults;
using OrdersTracing.ServiceDefaults.Identity;
using OrdersTracing.ServiceDefaults.Proxies;
using OrdersTracing.ServiceDefaults.Telemetry.TrustBoundary;
using OrdersTracing.TraceAnalysis;
using OrdersTracing.Web.Identity;
using OrdersTracing.Web.Orders;
using OrdersTracing.Web.Telemetry;
using OrdersTracing.Web.Telemetry.Browser;
using OrdersTracing.Web.TraceDoctor;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// Web is the public edge: a caller's trace context becomes a link, not a parent, unless Tracing:TrustedCallers names it.
builder.AddTraceContextTrustBoundary();
// Behind a reverse proxy, the client is who a proxy of ForwardedHeaders:KnownProxies names; none by default.
builder.AddKnownProxies();

builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
    .AddCookie(options => options.LoginPath = "/signin");
builder.Services.AddAuthorization();
// Traces hold every tenant's data: the trace doctor is for signed-in people only, like the orders.
builder.Services.AddRazorPages(options => options.Conventions.AuthorizeFolder("/Orders").AuthorizeFolder("/Traces"));

builder.Services.AddHttpClient<OrdersApiClient>(http => http.BaseAddress = new Uri("https+http://api")).AddServiceTokens();
builder.Services.Configure<TraceLinksOptions>(builder.Configuration.GetSection(TraceLinksOptions.SectionName));
builder.Services.AddSingleton<TraceLinks>();
builder.Services.Configure<TraceStoreOptions>(builder.Configuration.GetSection(TraceStoreOptions.SectionName));
builder.Services.AddHttpClient<TraceStore>();
// The doctor's detectors take the thresholds the live ones in every service take (Tracing:QueryDetection).
builder.Services.AddOptions<DetectionThresholds>().BindConfiguration(DetectionThresholds.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<DiagnosisThresholds>().BindConfiguration(DiagnosisThresholds.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.AddBrowserTelemetryRelay();
// A slow step in Web itself: a wait in its own pipeline, before any page or call to the Api.
builder.AddFaults(FaultCatalogue.Services.Web).Inject(FaultKind.SlowWebStep);

var app = builder.Build();

app.UseForwardedHeaders();
app.UseExceptionHandler("/error");
app.UseStatusCodePagesWithReExecute("/error", "?status={0}");
app.UseStaticFiles();
app.UseAuthentication();
app.UseNoStoreForSignedInUsers();
app.UseAuthorization();

app.MapBrowserTelemetryRelay();
app.MapRazorPages();
app.MapFaultControl();
app.MapDefaultEndpoints();

app.Run();
