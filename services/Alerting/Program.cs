using EarlyWarning.Alerting;
using EarlyWarning.Alerting.Alerts;
using EarlyWarning.ServiceDefaults;
using EarlyWarning.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new ServiceIdentity("alerting", "alerting"), bus => bus.AddAlertingConsumers());
builder.AddAlerting();

var app = builder.Build();
await app.MigrateDatabaseAsync(typeof(Program).Assembly);
await app.BuildSeriesLevelsAsync();
await app.DeclareNationalReturnAsync();
app.MapDefaultEndpoints();
app.MapAlertEndpoints();
app.Run();
