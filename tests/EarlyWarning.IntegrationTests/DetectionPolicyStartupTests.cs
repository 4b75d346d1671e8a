namespace EarlyWarning.IntegrationTests;

/// <summary>Alerting's detection policy (levels, overrides) is validated at start: an invalid one stops the service, naming the setting.</summary>
[Collection(SystemCollection.Name)]
public sealed class DetectionPolicyStartupTests(SystemFixture system)
{
    [Fact]
    public async Task An_invalid_level_or_override_stops_alerting_with_the_setting_named()
    {
        await using var broken = new ServiceProcess("Alerting", TestEnvironment.ServicePortBase + 3 + 100);
        foreach (var (key, value) in system.Alerting.Environment) broken.Environment[key] = value;
        broken.Environment["Detection__Levels__0"] = "country";
        broken.Environment["Detection__Levels__1"] = "borderPoint";
        broken.Environment["Detection__Overrides__0__Countries__0"] = "chl";

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(broken.StartAsync);

        Assert.Contains("exited with", failure.Message);
        await broken.WaitForOutputAsync(line => line.Contains("Detection:Levels:1 'borderPoint' has borderPoint without country"), TimeSpan.FromSeconds(10));
        await broken.WaitForOutputAsync(line => line.Contains("Detection:Overrides:0:Countries:0 'chl' is not an ISO 3166-1 alpha-3 code in capitals"),
            TimeSpan.FromSeconds(10));
    }
}
