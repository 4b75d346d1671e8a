using System.ComponentModel.DataAnnotations;
using EarlyWarning.ServiceDefaults;

namespace EarlyWarning.UnitTests;

public sealed class RabbitMqOptionsTests
{
    private static List<ValidationResult> Validate(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    private static RabbitMqOptions WithNodes(params string[] nodes) =>
        new() { Username = "ew-classification", Password = "secret", ClusterNodes = nodes };

    [Theory]
    [InlineData("change-me")]
    [InlineData("CHANGE-ME")]
    [InlineData("change-me-to-at-least-32-characters-of-randomness")]
    public void A_password_left_as_the_example_files_placeholder_is_refused(string password)
    {
        var options = WithNodes();
        options.Password = password;
        Assert.Contains(Validate(options), r => r.MemberNames.Contains(nameof(RabbitMqOptions.Password)));
        var database = new DatabaseOptions { ConnectionString = $"Host=db;Username=ew_alerting;Password={password}" };
        Assert.Contains(Validate(database), r => r.MemberNames.Contains(nameof(DatabaseOptions.ConnectionString)));
    }

    [Fact]
    public void A_single_broker_needs_no_cluster_nodes() => Assert.Empty(Validate(WithNodes()));

    [Fact]
    public void Cluster_nodes_given_as_host_and_port_are_valid() =>
        Assert.Empty(Validate(WithNodes("127.0.0.1:5750", "127.0.0.1:5751", "rabbit-3.internal:5672")));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:")]
    [InlineData(":5672")]
    [InlineData("127.0.0.1:70000")]
    public void A_cluster_node_that_is_not_host_and_port_is_refused_naming_it(string node)
    {
        var error = Assert.Single(Validate(WithNodes("127.0.0.1:5750", node)));
        Assert.Contains($"'{node}'", error.ErrorMessage);
        Assert.Equal([nameof(RabbitMqOptions.ClusterNodes)], error.MemberNames);
    }
}
