using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using EarlyWarning.ServiceDefaults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EarlyWarning.Alerting.Delivery;

/// <summary>
/// Posts the webhook outbox: each due delivery in a request of its own, signed (<see cref="WebhookSignature"/>) with a
/// fresh timestamp on every attempt and the same idempotency id (EarlyWarning-Delivery). A 2xx answer delivers it;
/// anything else (another status, a refused connection, no answer within the timeout) is recorded as an attempt and
/// tried again after an exponential backoff with jitter (<see cref="RetrySchedule"/>), kept in the row so it survives
/// restarts, until the attempt limit, when the delivery is recorded as failed. Up to Concurrency requests are in
/// flight at once and a new one starts as soon as any finishes, so a receiver that never answers holds one slot
/// for its timeout, never the others. A destination <see cref="WebhookDestinations"/> refuses when connecting fails
/// at once, recorded as "destination not allowed".
/// </summary>
internal sealed class WebhookDispatcher(
    NpgsqlDataSource db,
    IHttpClientFactory http,
    DeliverySignal signal,
    ResiliencePipelineProvider resilience,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    WebhookSecretProtector secrets,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";
    private static readonly Meter Meter = new("EarlyWarning.Alerting");
    private static readonly Counter<long> Attempts = Meter.CreateCounter<long>("earlywarning.alerting.webhook_attempts", description: "Webhook attempts, by outcome (delivered, retry, failed)");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var inFlight = new HashSet<Task>();
        using var slots = new SemaphoreSlim(settings.Webhooks.Concurrency, settings.Webhooks.Concurrency);
        // The claim's lease: past the attempt's timeout, so a delivery is never taken twice while its request is running.
        var lease = settings.Webhooks.Timeout + TimeSpan.FromSeconds(30);
        while (!stoppingToken.IsCancellationRequested)
        {
            var free = slots.CurrentCount;
            List<ClaimedDelivery> claimed = [];
            if (free > 0)
            {
                try
                {
                    claimed = await resilience.Postgres.ExecuteAsync(async ct => await DeliveryStore.ClaimDueAsync(db, free, lease, ct), stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Claiming webhook deliveries failed; retrying in {Interval}", settings.PollInterval);
                }
            }
            foreach (var delivery in claimed)
            {
                await slots.WaitAsync(stoppingToken);
                var task = Task.Run(async () =>
                {
                    try
                    {
                        await AttemptAsync(delivery, stoppingToken);
                    }
                    finally
                    {
                        slots.Release();
                        signal.Set();
                    }
                }, CancellationToken.None);
                lock (inFlight) inFlight.Add(task);
                _ = task.ContinueWith(t => { lock (inFlight) inFlight.Remove(t); }, TaskScheduler.Default);
            }
            if (claimed.Count == 0 || claimed.Count < free)
            {
                try
                {
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        Task[] running;
        lock (inFlight) running = [.. inFlight];
        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task AttemptAsync(ClaimedDelivery d, CancellationToken stoppingToken)
    {
        var settings = options.Value.Webhooks;
        var started = time.GetUtcNow();
        var watch = Stopwatch.StartNew();
        int? status = null;
        string? error = null;
        var refused = false;
        string? secret = null;
        try
        {
            if (d.Secret is not null) secret = secrets.Unprotect(d.Secret);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            logger.LogError("Delivery {Delivery}: the webhook secret cannot be decrypted with Delivery:Webhooks:SecretKey (was the key changed?)", d.DeliveryId);
        }
        if (d.SubscriptionState != "active" || d.Secret is null)
            error = $"the subscription is {d.SubscriptionState}";
        else if (secret is null)
            error = "the subscription's secret cannot be read";
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(settings.Timeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, d.Url) { Content = new StringContent(d.Body, Encoding.UTF8, "application/json") };
                request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, started.ToUnixTimeSeconds(), d.Body));
                request.Headers.Add(WebhookSignature.IdempotencyHeader, d.DeliveryId.ToString("D"));
                request.Headers.Add(WebhookSignature.EventHeader, "alert.revision");
                using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                status = (int)response.StatusCode;
                if (!response.IsSuccessStatusCode) error = $"the receiver answered {status} {response.ReasonPhrase}";
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                error = $"no answer within {settings.Timeout.TotalSeconds:0.#} s";
            }
            catch (HttpRequestException ex) when (WebhookDestinations.Refused(ex, out var reason))
            {
                // The log an analyst reads says only that: no address, no socket error, nothing to map the network with.
                error = WebhookDestinations.NotAllowed;
                refused = true;
                logger.LogWarning("Webhook delivery {Delivery} to {Url} refused: {Reason}", d.DeliveryId, d.Url, reason);
            }
            catch (HttpRequestException ex)
            {
                error = ex.Message;
            }
        }
        if (stoppingToken.IsCancellationRequested && status is null) return; // the lease brings it back after a restart
        var delivered = status is >= 200 and < 300;
        // A refused destination is not tried again: the answer would be the same, and retries would only time the check.
        var giveUp = !delivered && (refused || d.Attempt >= settings.MaxAttempts || d.SubscriptionState != "active");
        var state = delivered ? "delivered" : giveUp ? "failed" : "pending";
        DateTimeOffset? next = state == "pending" ? time.GetUtcNow() + RetrySchedule.After(d.Attempt, settings.FirstRetryDelay, settings.MaxRetryDelay, Random.Shared.NextDouble()) : null;
        Attempts.Add(1, new KeyValuePair<string, object?>("outcome", delivered ? "delivered" : giveUp ? "failed" : "retry"));
        if (giveUp) logger.LogWarning("Webhook delivery {Delivery} to {Url} failed for good after {Attempts} attempt(s): {Error}", d.DeliveryId, d.Url, d.Attempt, error);
        try
        {
            await resilience.Postgres.ExecuteAsync(async ct => await DeliveryStore.RecordAttemptAsync(db, d, started, (int)watch.ElapsedMilliseconds, status, error, state, next, ct),
                CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Unrecorded, the delivery comes back when its lease ends: at least once, never lost.
            logger.LogError(ex, "Recording webhook attempt {Attempt} of {Delivery} failed", d.Attempt, d.DeliveryId);
        }
    }
}
