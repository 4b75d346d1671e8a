using EarlyWarning.Anonymization;
using EarlyWarning.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new ServiceIdentity("anonymization", "anonymization"), bus => bus.AddAnonymizationConsumers(),
    rabbit => rabbit.AddRegionalOutbound());
builder.AddAnonymization();

var app = builder.Build();
await app.MigrateDatabaseAsync(typeof(Program).Assembly);
app.MapDefaultEndpoints();
app.Run();
