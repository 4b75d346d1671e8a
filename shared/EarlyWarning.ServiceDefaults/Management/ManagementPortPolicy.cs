using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.Options;

namespace EarlyWarning.ServiceDefaults.Management;

/// <summary>
/// Matches endpoints by the local port the connection came in on, not by the Host header (RequireHost), which the
/// caller writes: a management endpoint matches on the management port alone, every other endpoint everywhere else.
/// </summary>
internal sealed class ManagementPortPolicy(IOptions<ManagementOptions> options) : MatcherPolicy, IEndpointSelectorPolicy
{
    /// <summary>
    /// What a path that exists only on the other port answers. Anonymous, because with no endpoint at all the fallback
    /// policy would answer 401 and so tell the caller that something is there for a credential.
    /// </summary>
    private static readonly Endpoint WrongPort = new(
        context => { context.Response.StatusCode = StatusCodes.Status404NotFound; return Task.CompletedTask; },
        new EndpointMetadataCollection(new AllowAnonymousAttribute()), "404: served on the other port");

    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => true;

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var onManagementPort = httpContext.Connection.LocalPort == options.Value.Port;
        int? refused = null;
        var anyLeft = false;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i)) continue;
            var management = candidates[i].Endpoint.Metadata.GetMetadata<ManagementEndpoint>() is not null;
            if (management == onManagementPort) { anyLeft = true; continue; }
            candidates.SetValidity(i, false);
            refused ??= i;
        }
        if (!anyLeft && refused is { } first)
        {
            candidates.ReplaceEndpoint(first, WrongPort, null);
            candidates.SetValidity(first, true);
        }
        return Task.CompletedTask;
    }
}
