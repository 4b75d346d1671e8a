using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EarlyWarning.ServiceDefaults.Security;

/// <summary>
/// How many requests each service instance takes, bound from "RateLimiting" (RateLimiting__PerCaller__Burst etc.) and
/// validated at start, nested parts too. Flood guards, not quotas: the defaults are far above what an upload job, a
/// dashboard, the benchmark (two uploads at a time) or the integration tests (2,000 hostile inputs, four at a time) send.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Per credential: an API key, or a JWT subject.</summary>
    [Required] public TokenBucketLimit PerCaller { get; set; } = new() { RequestsPerSecond = 1000, Burst = 2000 };

    /// <summary>
    /// Per remote address (IPv6: per /64), for requests without a valid credential: none, malformed, unknown, revoked or
    /// a refused token. Nobody needs many of those; health and metrics are not counted.
    /// </summary>
    [Required] public TokenBucketLimit PerAddress { get; set; } = new() { RequestsPerSecond = 20, Burst = 100 };
}

/// <summary>A token bucket: up to Burst requests at once, refilled by RequestsPerSecond each second.</summary>
public sealed class TokenBucketLimit
{
    [Range(1, 1_000_000)] public int RequestsPerSecond { get; set; }
    [Range(1, 1_000_000)] public int Burst { get; set; }
}

/// <summary>Validates the nested limits too (data annotations stop at the first level).</summary>
internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        foreach (var (part, limit) in new[] { (nameof(options.PerCaller), options.PerCaller), (nameof(options.PerAddress), options.PerAddress) })
        {
            if (limit is null) continue;
            var nested = new List<ValidationResult>();
            Validator.TryValidateObject(limit, new ValidationContext(limit), nested, validateAllProperties: true);
            results.AddRange(nested.Select(r => new ValidationResult($"{part}: {r.ErrorMessage}")));
        }
        return results.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(results.Select(r => $"{RateLimitOptions.Section}: {r.ErrorMessage}"));
    }
}
