using EarlyWarning.Ingestion;
using EarlyWarning.Ingestion.Submissions;
using EarlyWarning.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new ServiceIdentity("ingestion", "ingestion"), bus => bus.AddIngestionConsumers());
builder.AddIngestion();

var app = builder.Build();
await app.MigrateDatabaseAsync(typeof(Program).Assembly);
app.MapDefaultEndpoints();
app.MapSubmissionEndpoints();
app.Run();
