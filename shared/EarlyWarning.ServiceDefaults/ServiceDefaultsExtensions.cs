using System.Reflection;
using EarlyWarning.ServiceDefaults.Database;
using EarlyWarning.ServiceDefaults.Health;
using EarlyWarning.ServiceDefaults.Management;
using EarlyWarning.ServiceDefaults.Messaging;
using EarlyWarning.ServiceDefaults.Operations;
using EarlyWarning.ServiceDefaults.Security;
using EarlyWarning.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EarlyWarning.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// What every EarlyWarning service has: validated options, its PostgreSQL schema with migrations,
    /// the outbox and inbox, MassTransit on RabbitMQ with quorum queues, OpenTelemetry, health checks, a management
    /// port for metrics and the health report, and authentication (API keys, JWT) with every endpoint but health requiring a caller.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(
        this WebApplicationBuilder builder,
        ServiceIdentity identity,
        Action<IBusRegistrationConfigurator> configureBus)
    {
        var services = builder.Services;
        services.AddSingleton(identity);
        // First, so that its listeners are attached before the bus and the web server start.
        builder.AddEarlyWarningTelemetry(identity.Name);
        builder.AddManagementPort();
        services.AddOptions<RabbitMqOptions>().BindConfiguration(RabbitMqOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<InboxOptions>().BindConfiguration(InboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(sp =>
        {
            var dataSource = new NpgsqlDataSourceBuilder(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString);
            dataSource.ConnectionStringBuilder.SearchPath = identity.Schema;
            dataSource.ConnectionStringBuilder.ApplicationName = identity.Name;
            // Every batch runs the same few statements: prepared on first use per connection, PostgreSQL parses and plans
            // each once instead of once per batch (a connection string that sets its own value keeps it).
            if (dataSource.ConnectionStringBuilder.MaxAutoPrepare == 0) dataSource.ConnectionStringBuilder.MaxAutoPrepare = 64;
            return dataSource.Build();
        });
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<ResiliencePipelineProvider>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<TransactionalWork>();
        services.AddSingleton<DatabaseAvailability>();
        services.AddSingleton<ConsumerQueues>();
        services.AddSingleton<FailedMessages>();

        services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        services.AddMassTransit(bus =>
        {
            // MassTransit 8.4 would otherwise report usage to an outside host at start-up: government data systems do not phone home.
            bus.DisableUsageTelemetry();
            configureBus(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                rabbit.Host(options.Host, (ushort)options.Port, options.VirtualHost, identity.Name, host =>
                {
                    host.Username(options.Username);
                    host.Password(options.Password);
                    host.PublisherConfirmation = true;
                    if (options.ClusterNodes.Length > 0)
                        host.UseCluster(cluster =>
                        {
                            foreach (var node in options.ClusterNodes) cluster.Node(node);
                        });
                });
                rabbit.ConfigureEndpoints(context);
            });
        });
        services.RemoveMassTransitHostedService();
        services.AddSingleton<BusStarted>();
        services.AddHostedService<BusAfterStartup>();
        services.AddHostedService<OutboxDispatcher>();
        services.AddHostedService<OutboxMonitor>();
        services.AddHostedService<MessageStorePruner>();

        services.AddEarlyWarningSecurity();
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Applies the service's migrations before it takes any traffic, retrying while PostgreSQL is still
    /// starting (services and database are often started together).
    /// </summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app, Assembly serviceAssembly)
    {
        var migrator = app.Services.GetRequiredService<SchemaMigrator>();
        var resilience = app.Services.GetRequiredService<ResiliencePipelineProvider>();
        await resilience.Startup.ExecuteAsync(async ct => await migrator.MigrateAsync(serviceAssembly, ct), app.Lifetime.ApplicationStopping);
    }

    /// <summary>
    /// Authentication, rate limiting and authorization for every endpoint (docs/security-authentication.md);
    /// /health/live answers while the process runs; /health/ready only when the bus and the database answer. The API
    /// port says no more than up or down (load balancers, orchestrators); the management port gives the report naming
    /// each check, and /metrics for Prometheus, which the API port answers 404 for.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseEarlyWarningSecurity();
        // Health endpoints need no credential, and are not rate limited: orchestrators probe them, and a flood must not make a service look dead.
        var live = new HealthCheckOptions { Predicate = _ => false };
        var ready = new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") };
        app.MapHealthChecks("/health/live", live).AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks("/health/ready", ready).AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks("/health/live", live).AllowAnonymous().DisableRateLimiting().RequireManagementPort();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = ready.Predicate, ResponseWriter = WriteReport })
            .AllowAnonymous().DisableRateLimiting().RequireManagementPort();
        // Prometheus scrapes it without a credential; its series count by reporting country, which the management
        // port keeps from anyone who can reach the API (loopback unless Management:Address says otherwise).
        app.MapMetricsEndpoint().AllowAnonymous().DisableRateLimiting().RequireManagementPort();
        app.MapOperatorEndpoints();
        return app;
    }

    private static Task WriteReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
        });
    }
}
