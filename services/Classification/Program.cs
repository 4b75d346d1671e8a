using EarlyWarning.Classification;
using EarlyWarning.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new ServiceIdentity("classification", "classification"), bus => bus.AddClassificationConsumers());
builder.AddClassification();

var app = builder.Build();
await app.MigrateDatabaseAsync(typeof(Program).Assembly);
app.MapDefaultEndpoints();
app.Run();
