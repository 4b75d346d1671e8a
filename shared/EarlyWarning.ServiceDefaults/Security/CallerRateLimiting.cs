using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EarlyWarning.ServiceDefaults.Security;

/// <summary>
/// ASP.NET Core's rate limiter over every endpoint but health and metrics: one token bucket per credential, and one per
/// remote address for callers without a valid one. It runs after authentication (to know the credential) and before
/// authorization, so that refused callers count against their address too. Over the limit: 429, a problem document
/// and Retry-After.
/// </summary>
internal static class CallerRateLimiting
{
    public static IServiceCollection AddCallerRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, options) =>
        {
            var limits = options.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                Caller(context.User) is { } caller
                    ? RateLimitPartition.GetTokenBucketLimiter("caller " + caller, _ => Bucket(limits.PerCaller))
                    : RateLimitPartition.GetTokenBucketLimiter("address " + Address(context.Connection.RemoteIpAddress), _ => Bucket(limits.PerAddress)));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>The credential a request was authenticated with (scheme and subject), or null when it has none that holds.</summary>
    public static string? Caller(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, AuthenticationType: { } scheme } && user.FindFirst(EarlyWarningClaims.Subject)?.Value is { Length: > 0 } subject
            ? scheme + ":" + subject
            : null;

    /// <summary>The address a request is counted under: IPv4 as is; IPv6 by its /64, since one host is usually given a whole /64.</summary>
    public static string Address(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static TokenBucketRateLimiterOptions Bucket(TokenBucketLimit limit) => new()
    {
        TokenLimit = limit.Burst,
        TokensPerPeriod = limit.RequestsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        // Refused at once rather than held: a held request still ties up a connection and its body.
        QueueLimit = 0,
    };

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var http = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This credential (or, without a valid one, this address) sent more requests than this service takes; retry after {seconds} s.",
            },
        });
    }
}
