using EarlyWarning.Anonymization;
using EarlyWarning.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new ServiceIdentity("anonymization", "anonymization"), bus => bus.AddAnonymizationConsumers());
builder.AddAnonymization();

var app = builder.Build();
await app.MigrateDatabaseAsync(typeof(Program).Assembly);
if (!await app.UseAgreementsAsync()) return 2;
await app.DeclareRegionalOutboundAsync();
app.MapDefaultEndpoints();
app.MapAuditEndpoints();
await app.RunAsync();
return 0;
