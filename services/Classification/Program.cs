using EarlyWarning.Classification;
using EarlyWarning.Classification.Export;
using EarlyWarning.ServiceDefaults;
using EarlyWarning.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new ServiceIdentity("classification", "classification"), bus => bus.AddClassificationConsumers());
builder.AddClassification();

var app = builder.Build();
if (!app.LoadPolicy()) return 1;
await app.MigrateDatabaseAsync(typeof(Program).Assembly);
await app.RecordPolicyAsync();
if (args is ["replay", ..]) return await app.RunReplayCommandAsync(args.Length > 1 ? args[1] : null);
await app.DeclareNationalReturnAsync();
app.MapDefaultEndpoints();
app.MapReviewEndpoints();
app.MapExportEndpoints();
app.Run();
return 0;
