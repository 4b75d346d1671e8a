using System.Net.Sockets;
using EarlyWarning.ServiceDefaults.Messaging;
using Npgsql;

namespace EarlyWarning.UnitTests;

public sealed class OutageTests
{
    [Theory]
    [InlineData("57P01")] // admin_shutdown: PostgreSQL stopped with the query running
    [InlineData("57P03")] // cannot_connect_now: PostgreSQL still starting
    [InlineData("53300")] // too_many_connections
    public void A_server_going_away_or_not_taking_connections_is_an_outage(string sqlState) =>
        Assert.True(Outage.IsDatabaseOutage(new PostgresException("gone", "FATAL", "FATAL", sqlState)));

    [Fact]
    public void A_refused_connection_is_an_outage_even_when_wrapped() =>
        Assert.True(Outage.IsDatabaseOutage(new InvalidOperationException("consume failed",
            new NpgsqlException("Failed to connect to 127.0.0.1:5442", new SocketException((int)SocketError.ConnectionRefused)))));

    [Theory]
    [InlineData("40P01")] // deadlock_detected: transient, but the ordinary retries handle it
    [InlineData("40001")] // serialization_failure
    [InlineData("23505")] // unique_violation: the data's fault
    public void Conflicts_and_constraint_violations_are_not_outages(string sqlState) =>
        Assert.False(Outage.IsDatabaseOutage(new PostgresException("conflict", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void A_batch_that_breaks_its_contract_is_not_an_outage() =>
        Assert.False(Outage.IsDatabaseOutage(new InvalidBatchException("negative count")));
}
