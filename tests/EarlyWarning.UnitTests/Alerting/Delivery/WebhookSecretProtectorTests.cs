using System.Security.Cryptography;
using EarlyWarning.Alerting.Delivery;

namespace EarlyWarning.UnitTests.Alerting.Delivery;

public sealed class WebhookSecretProtectorTests
{
    private static readonly WebhookSecretProtector Protector = new("a key of the deployment, long enough");

    [Fact]
    public void A_sealed_secret_opens_to_itself_and_never_shows_it()
    {
        var sealedSecret = Protector.Protect("whsec_abc");
        Assert.DoesNotContain("whsec_abc", sealedSecret);
        Assert.Equal("whsec_abc", Protector.Unprotect(sealedSecret));
    }

    [Fact]
    public void The_options_refuse_a_missing_short_or_placeholder_key()
    {
        foreach (var key in new[] { "", "too short", "change-me-change-me-change-me" })
            Assert.Contains(new DeliveryOptions { Webhooks = { SecretKey = key } }.Problems(), p => p.StartsWith("Delivery:Webhooks:SecretKey", StringComparison.Ordinal));
    }

    [Fact]
    public void Sealing_twice_gives_two_values() => Assert.NotEqual(Protector.Protect("s"), Protector.Protect("s"));

    [Fact]
    public void A_secret_sealed_under_another_key_does_not_open() =>
        Assert.ThrowsAny<CryptographicException>(() => new WebhookSecretProtector("another key, just as long as that").Unprotect(Protector.Protect("s")));

    [Fact]
    public void A_secret_stored_before_encryption_is_read_as_it_is() => Assert.Equal("plain-old-secret", Protector.Unprotect("plain-old-secret"));
}
