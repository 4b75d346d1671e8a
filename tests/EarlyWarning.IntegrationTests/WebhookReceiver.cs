using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EarlyWarning.IntegrationTests;

/// <summary>
/// Webhook receivers of the tests, on 127.0.0.1 and an ephemeral port: /ok/{name} answers 200, /flaky/{name} answers
/// 503 to the first five requests of each delivery id and 200 after, /dead/{name} never answers. Every request is kept.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Request(string Path, string? DeliveryId, string? Signature, string Body, int Status, DateTimeOffset At);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _flakyCounts = new();
    public ConcurrentQueue<Request> Requests { get; } = new();
    public string BaseUrl { get; private set; } = "";

    private WebhookReceiver(WebApplication app) => _app = app;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{kind}/{name}", receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    private async Task HandleAsync(HttpContext http, string kind, string name)
    {
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        var id = http.Request.Headers["EarlyWarning-Delivery"].FirstOrDefault();
        var signature = http.Request.Headers["EarlyWarning-Signature"].FirstOrDefault();
        var status = kind switch
        {
            "flaky" => _flakyCounts.AddOrUpdate(id ?? "", 1, (_, n) => n + 1) <= 5 ? 503 : 200,
            "dead" => 0,
            _ => 200,
        };
        Requests.Enqueue(new Request($"/{kind}/{name}", id, signature, body, status, DateTimeOffset.UtcNow));
        if (status == 0)
        {
            // Never answers: the connection stays open until the sender gives up.
            await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }
        http.Response.StatusCode = status;
    }

    public string Url(string kind, string name) => $"{BaseUrl}/{kind}/{name}";

    public List<Request> To(string kind, string name) => Requests.Where(r => r.Path == $"/{kind}/{name}").ToList();

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        await _app.DisposeAsync();
    }
}
