using EarlyWarning.Alerting.Delivery;

namespace EarlyWarning.UnitTests.Alerting.Delivery;

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec_test-secret";
    private const string Body = """{"type":"alert.revision","revision":1}""";
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_header_is_the_timestamp_and_the_HMAC_SHA256_of_timestamp_dot_body_in_hex()
    {
        // Computed independently: printf '1764000000.%s' "$body" | openssl dgst -sha256 -hmac whsec_test-secret
        var header = WebhookSignature.Sign(Secret, 1764000000, Body);
        Assert.Matches("^t=1764000000,v1=[0-9a-f]{64}$", header);
        using var hmac = new System.Security.Cryptography.HMACSHA256(System.Text.Encoding.UTF8.GetBytes(Secret));
        var expected = Convert.ToHexStringLower(hmac.ComputeHash(System.Text.Encoding.UTF8.GetBytes("1764000000." + Body)));
        Assert.Equal($"t=1764000000,v1={expected}", header);
    }

    [Fact]
    public void A_receiver_accepts_a_fresh_signature_of_the_body_with_its_secret()
    {
        var header = WebhookSignature.Sign(Secret, Now.ToUnixTimeSeconds(), Body);
        Assert.True(WebhookSignature.Verify(Secret, header, Body, Now.AddSeconds(30), WebhookSignature.DefaultReplayWindow));
    }

    [Fact]
    public void A_changed_body_another_secret_or_a_replay_outside_the_window_is_refused()
    {
        var header = WebhookSignature.Sign(Secret, Now.ToUnixTimeSeconds(), Body);
        Assert.False(WebhookSignature.Verify(Secret, header, Body.Replace("1", "2"), Now, WebhookSignature.DefaultReplayWindow));
        Assert.False(WebhookSignature.Verify("whsec_other", header, Body, Now, WebhookSignature.DefaultReplayWindow));
        Assert.False(WebhookSignature.Verify(Secret, header, Body, Now.AddMinutes(6), WebhookSignature.DefaultReplayWindow));
        Assert.False(WebhookSignature.Verify(Secret, header.Replace("t=", "t=1"), Body, Now, WebhookSignature.DefaultReplayWindow));
        Assert.False(WebhookSignature.Verify(Secret, null, Body, Now, WebhookSignature.DefaultReplayWindow));
    }
}
