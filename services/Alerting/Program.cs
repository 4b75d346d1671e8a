using EarlyWarning.Alerting;
using EarlyWarning.Alerting.Alerts;
using EarlyWarning.Alerting.Delivery;
using EarlyWarning.ServiceDefaults;
using EarlyWarning.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new ServiceIdentity("alerting", "alerting"), bus => bus.AddAlertingConsumers());
builder.AddAlerting();
builder.AddAlertDelivery();

var app = builder.Build();
if (!app.LoadDeliveryPolicy()) return 1;
await app.MigrateDatabaseAsync(typeof(Program).Assembly);
await app.BuildSeriesLevelsAsync();
await app.DeclareNationalReturnAsync();
await app.DeclareAlertTopicAsync();
app.MapDefaultEndpoints();
app.MapAlertEndpoints();
app.MapDeliveryEndpoints();
app.Run();
return 0;
