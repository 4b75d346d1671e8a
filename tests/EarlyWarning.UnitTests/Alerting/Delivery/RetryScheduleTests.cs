using EarlyWarning.Alerting.Delivery;

namespace EarlyWarning.UnitTests.Alerting.Delivery;

public sealed class RetryScheduleTests
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(5), Max = TimeSpan.FromHours(1);

    [Fact]
    public void Each_failed_attempt_doubles_the_delay_between_half_and_all_of_it()
    {
        Assert.Equal(TimeSpan.FromSeconds(2.5), RetrySchedule.After(1, First, Max, 0));
        Assert.Equal(TimeSpan.FromSeconds(5), RetrySchedule.After(1, First, Max, 1));
        Assert.Equal(TimeSpan.FromSeconds(10), RetrySchedule.After(3, First, Max, 0));
        Assert.Equal(TimeSpan.FromSeconds(15), RetrySchedule.After(3, First, Max, 0.5));
    }

    [Fact]
    public void The_delay_never_exceeds_the_maximum_however_many_attempts_failed()
    {
        Assert.Equal(Max, RetrySchedule.After(40, First, Max, 1));
        Assert.Equal(Max / 2, RetrySchedule.After(12, First, Max, 0));
    }
}
