using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using EarlyWarning.Alerting.Alerts;
using EarlyWarning.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EarlyWarning.Alerting.Delivery;

/// <summary>The body of POST /api/subscriptions: filters (each optional) and an optional webhook.</summary>
internal sealed record SubscriptionRequest(
    string? Name, string[]? Countries, string[]? Places, string[]? Corridors, string[]? Categories, string[]? Nationalities,
    string? MinimumSeverity, string[]? States, string? WebhookUrl);

/// <summary>CAP documents, Atom feeds, subscriptions and the delivery log, for analysts (within their scope) and operators.</summary>
internal static class DeliveryEndpoints
{
    public static void MapDeliveryEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(Policies.Analyst);
        api.MapGet("/alerts/{id:guid}/revisions/{revision:int}/cap", CapAsync);
        api.MapGet("/alerts/{id:guid}/deliveries", AlertDeliveriesAsync);
        api.MapGet("/feeds/alerts", AlertsFeedAsync);
        api.MapPost("/subscriptions", CreateAsync);
        api.MapGet("/subscriptions", ListAsync);
        api.MapGet("/subscriptions/{id:guid}", GetAsync);
        api.MapDelete("/subscriptions/{id:guid}", DeleteAsync);
        api.MapGet("/subscriptions/{id:guid}/feed", SubscriptionFeedAsync);
        api.MapGet("/subscriptions/{id:guid}/deliveries", SubscriptionDeliveriesAsync);
    }

    /// <summary>The CAP 1.2 document of one revision, at a stable address; ?lang=es|pt|en for one language (all three otherwise).</summary>
    private static async Task<IResult> CapAsync(HttpRequest request, ClaimsPrincipal user, NpgsqlDataSource db, DeliveryDocuments documents, Guid id, int revision,
        string? lang, CancellationToken ct)
    {
        if (lang is not null && !DeliveryPolicy.Languages.Contains(lang))
            return Results.Problem(statusCode: 400, title: "Invalid language", detail: $"lang '{lang}' is not one of {string.Join(", ", DeliveryPolicy.Languages)}");
        if (await DeliveryStore.RevisionAsync(db, id, revision, user.VisibleCountries(), ct) is not { } r)
            return Results.Problem(statusCode: 404, title: "No such alert revision", detail: $"No revision {revision} of alert {id} in the countries this credential may see.");
        var earlier = await DeliveryStore.EarlierAsync(db, id, revision, ct);
        var cap = documents.Cap(r, earlier, documents.BaseUrl(request), lang is null ? null : [lang]);
        return Results.Text(Xml(cap), CapDocument.MediaType + "; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>The Atom feed of every alert revision the caller may see.</summary>
    private static async Task<IResult> AlertsFeedAsync(HttpContext http, ClaimsPrincipal user, NpgsqlDataSource db, DeliveryDocuments documents,
        IOptions<DeliveryOptions> options, int? page, string? lang, CancellationToken ct)
    {
        var visible = user.VisibleCountries();
        var baseUrl = documents.BaseUrl(http.Request);
        return await FeedAsync(http, page, lang, options.Value.FeedPageSize, async (offset, limit) => await DeliveryStore.VisibleRevisionsAsync(db, visible, offset, limit, ct),
            (rows, number, count, language) => AtomFeed.Build(
                "urn:earlywarning:feed:alerts:" + (visible is null ? "all" : string.Join('-', visible.Order(StringComparer.Ordinal))),
                "Migration flow alerts" + (visible is null ? "" : $" ({string.Join(", ", visible.Order(StringComparer.Ordinal))})"),
                baseUrl + "/api/feeds/alerts" + (language == "en" ? "" : "?lang=" + language), baseUrl, rows, number, count, documents.Policy, language));
    }

    /// <summary>The Atom feed of a subscription: the revisions fanned out to it.</summary>
    private static async Task<IResult> SubscriptionFeedAsync(HttpContext http, ClaimsPrincipal user, NpgsqlDataSource db, DeliveryDocuments documents,
        IOptions<DeliveryOptions> options, Guid id, int? page, string? lang, CancellationToken ct)
    {
        if (await OwnedAsync(db, user, id, ct) is not { } s) return NoSubscription(id);
        var visible = user.VisibleCountries();
        var baseUrl = documents.BaseUrl(http.Request);
        return await FeedAsync(http, page, lang, options.Value.FeedPageSize,
            async (offset, limit) => await DeliveryStore.FeedRevisionsAsync(db, id, visible, offset, limit, ct),
            (rows, number, count, language) => AtomFeed.Build($"urn:earlywarning:feed:subscription:{id:D}", $"Migration flow alerts: {s.Name}",
                baseUrl + $"/api/subscriptions/{id:D}/feed" + (language == "en" ? "" : "?lang=" + language), baseUrl, rows, number, count, documents.Policy, language));
    }

    private static async Task<IResult> FeedAsync(HttpContext http, int? page, string? lang, int pageSize,
        Func<int, int, Task<(List<AlertRevision> Page, long Total)>> load, Func<List<AlertRevision>, int, int, string, XDocument> build)
    {
        var language = lang ?? "en";
        if (!DeliveryPolicy.Languages.Contains(language))
            return Results.Problem(statusCode: 400, title: "Invalid language", detail: $"lang '{lang}' is not one of {string.Join(", ", DeliveryPolicy.Languages)}");
        if (page is < 1) return Results.Problem(statusCode: 400, title: "Invalid page", detail: "page counts from 1");
        var number = page ?? 1;
        // A page whose offset would not fit the query's integer is past the end of any feed.
        if ((long)(number - 1) * pageSize > int.MaxValue) return Results.Problem(statusCode: 404, title: "No such page", detail: $"Page {number} is past the end of the feed.");
        var (rows, total) = await load((number - 1) * pageSize, pageSize);
        var count = (int)Math.Max(1, (total + pageSize - 1) / pageSize);
        if (number > count) return Results.Problem(statusCode: 404, title: "No such page", detail: $"The feed has {count} page(s).");
        var bytes = Encoding.UTF8.GetBytes(Xml(build(rows, number, count, language)));
        // A strong validator of the page's bytes: an unchanged page is the same document, so a reader polling with If-None-Match gets 304.
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..32] + "\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = "private, no-cache";
        if (http.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "*")))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(bytes, AtomFeed.MediaType + "; charset=utf-8");
    }

    /// <summary>
    /// Subscribes within the caller's scope: a filter naming a country outside it is refused (403), an invalid one is a 400,
    /// and so is a webhook to an internal address (<see cref="WebhookDestinations"/>).
    /// </summary>
    private static async Task<IResult> CreateAsync(ClaimsPrincipal user, NpgsqlDataSource db, DeliveryDocuments documents, WebhookDestinations destinations,
        IOptions<DeliveryOptions> options, WebhookSecretProtector secrets, SubscriptionRequest? body, CancellationToken ct)
    {
        if (body is null) return Results.Problem(statusCode: 400, title: "Invalid subscription", detail: "A JSON body is required.");
        static string[] Upper(string[]? values) => (values ?? []).Select(v => v.Trim().ToUpperInvariant()).Where(v => v.Length > 0).Distinct().ToArray();
        var severity = body.MinimumSeverity is null ? null
            : AlertRevision.Severities.FirstOrDefault(s => s.Equals(body.MinimumSeverity.Trim(), StringComparison.OrdinalIgnoreCase)) ?? body.MinimumSeverity;
        var filter = new SubscriptionFilter(Upper(body.Countries), Upper(body.Places), Upper(body.Corridors), Upper(body.Categories), Upper(body.Nationalities),
            severity, (body.States ?? []).Select(s => s.Trim().ToLowerInvariant()).Distinct().ToArray());
        var problems = filter.Problems(documents.Policy);
        var limit = options.Value.MaximumFilterValues;
        foreach (var (name, values) in new[] { ("countries", body.Countries), ("places", body.Places), ("corridors", body.Corridors), ("categories", body.Categories),
                     ("nationalities", body.Nationalities), ("states", body.States) })
            if (values?.Length > limit) problems.Add($"{name}: at most {limit} values");
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 200) problems.Add("name: required, at most 200 characters");
        if (await destinations.RegistrationProblemAsync(body.WebhookUrl, ct) is { } webhookProblem) problems.Add(webhookProblem);
        if (problems.Count > 0) return Results.Problem(statusCode: 400, title: "Invalid subscription", detail: string.Join("; ", problems));

        var visible = user.VisibleCountries();
        if (visible is not null)
        {
            var outside = filter.NamedCountries(documents.Policy).Where(c => !visible.Contains(c)).Order(StringComparer.Ordinal).ToList();
            if (visible.Count == 0 || outside.Count > 0)
                return Results.Problem(statusCode: 403, title: "Outside your scope",
                    detail: $"This credential may subscribe to alerts of {(visible.Count == 0 ? "no country" : string.Join(", ", visible.Order(StringComparer.Ordinal)))} only"
                            + (outside.Count > 0 ? $"; the filter names {string.Join(", ", outside)}." : "."));
        }
        if (await DeliveryStore.SubscriptionCountAsync(db, Owner(user), ct) >= options.Value.MaximumSubscriptionsPerOwner)
            return Results.Problem(statusCode: 409, title: "Too many subscriptions",
                detail: $"This credential holds {options.Value.MaximumSubscriptionsPerOwner} subscriptions, the most allowed; delete one first.");
        var secret = body.WebhookUrl is null ? null : WebhookSignature.NewSecret();
        var subscription = new Subscription(Guid.NewGuid(), Owner(user), user.Identity?.AuthenticationType == "ApiKey",
            visible?.Order(StringComparer.Ordinal).ToArray(), body.Name!.Trim(), filter, body.WebhookUrl, secret, "active", null, DateTimeOffset.UtcNow);
        await DeliveryStore.InsertSubscriptionAsync(db, subscription with { WebhookSecret = secret is null ? null : secrets.Protect(secret) }, ct);
        var view = SubscriptionView.Of(subscription);
        // The secret is shown once, now: the receiver needs it to check signatures.
        return Results.Created($"/api/subscriptions/{subscription.SubscriptionId:D}", new { subscription = view, webhookSecret = secret });
    }

    /// <summary>The caller's subscriptions (an operator's: everyone's). A token's owner's scope is noted again, so a narrowed scope applies.</summary>
    private static async Task<IResult> ListAsync(ClaimsPrincipal user, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var list = await DeliveryStore.SubscriptionsAsync(connection, user.IsOperator() ? null : Owner(user), ct);
        var visible = user.VisibleCountries()?.Order(StringComparer.Ordinal).ToArray();
        // The owner's token shows its scope now: noted again (so a narrowed scope applies), and a subscription suspended
        // because the scope was not seen for too long resumes.
        foreach (var s in list.Where(s => !s.OwnerIsKey && s.Owner == Owner(user) && visible is not null))
        {
            var lapsed = s.State == "suspended" && s.StateReason?.StartsWith(Subscription.ScopeLapsed, StringComparison.Ordinal) == true;
            var state = visible!.Length == 0 ? "suspended" : lapsed ? "active" : s.State;
            await DeliveryStore.SetStateAsync(connection, s.SubscriptionId, state, lapsed && state == "active" ? null : s.StateReason, visible, ct);
        }
        if (list.Any(s => !s.OwnerIsKey && s.Owner == Owner(user))) list = await DeliveryStore.SubscriptionsAsync(connection, user.IsOperator() ? null : Owner(user), ct);
        return Results.Ok(list.Select(SubscriptionView.Of));
    }

    private static async Task<IResult> GetAsync(ClaimsPrincipal user, NpgsqlDataSource db, Guid id, CancellationToken ct) =>
        await OwnedAsync(db, user, id, ct) is { } s ? Results.Ok(SubscriptionView.Of(s)) : NoSubscription(id);

    /// <summary>Stops a subscription; its delivery log stays. Deliveries still pending are given up.</summary>
    private static async Task<IResult> DeleteAsync(ClaimsPrincipal user, NpgsqlDataSource db, Guid id, CancellationToken ct)
    {
        if (await OwnedAsync(db, user, id, ct) is null) return NoSubscription(id);
        await using var connection = await db.OpenConnectionAsync(ct);
        await DeliveryStore.SetStateAsync(connection, id, "deleted", "deleted by its owner", null, ct);
        return Results.NoContent();
    }

    /// <summary>What was sent to a subscription: each webhook delivery (target, state, answer, every attempt) and feed entry.</summary>
    private static async Task<IResult> SubscriptionDeliveriesAsync(ClaimsPrincipal user, NpgsqlDataSource db, Guid id, CancellationToken ct) =>
        await OwnedAsync(db, user, id, ct) is null ? NoSubscription(id) : Results.Ok(await DeliveryStore.LogAsync(db, id, null, null, ct));

    /// <summary>Who was told of an alert, and when: every channel (an analyst sees its own subscriptions' deliveries; an operator all, and the bus topic).</summary>
    private static async Task<IResult> AlertDeliveriesAsync(ClaimsPrincipal user, NpgsqlDataSource db, Guid id, CancellationToken ct)
    {
        if (await AlertQueries.FindAsync(db, id, user.VisibleCountries(), ct) is null)
            return Results.Problem(statusCode: 404, title: "No such alert", detail: $"No alert {id} in the countries this credential may see.");
        List<Guid>? own = null;
        if (!user.IsOperator())
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            own = (await DeliveryStore.SubscriptionsAsync(connection, Owner(user), ct)).Select(s => s.SubscriptionId).ToList();
        }
        return Results.Ok(new
        {
            alertId = id,
            deliveries = await DeliveryStore.LogAsync(db, null, id, own, ct),
            topic = await DeliveryStore.TopicPublicationsAsync(db, id, ct),
        });
    }

    private static string Owner(ClaimsPrincipal user) => user.FindFirst(EarlyWarningClaims.Subject)?.Value ?? "";

    private static async Task<Subscription?> OwnedAsync(NpgsqlDataSource db, ClaimsPrincipal user, Guid id, CancellationToken ct) =>
        await DeliveryStore.SubscriptionAsync(db, id, ct) is { } s && (user.IsOperator() || s.Owner == Owner(user)) ? s : null;

    private static IResult NoSubscription(Guid id) =>
        Results.Problem(statusCode: 404, title: "No such subscription", detail: $"No subscription {id} of this credential.");

    private static string Xml(XDocument document)
    {
        using var writer = new Utf8StringWriter();
        document.Save(writer, SaveOptions.None);
        return writer.ToString();
    }

    private sealed class Utf8StringWriter : StringWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
    }
}
