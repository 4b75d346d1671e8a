using EarlyWarning.Detection.Surveillance;
using FsCheck;
using FsCheck.Fluent;

namespace EarlyWarning.Detection.Tests;

/// <summary>
/// The judge on series as agreements release them: weeks suppressed under k (1 to k − 1), unbounded suppressions, weeks
/// never reported, at any place, for the judged week as well as its history.
/// </summary>
public sealed class CensoredWeekPropertyTests
{
    private static readonly DateOnly Week0 = new(2022, 1, 3);

    private static readonly SeriesJudge[] Judges =
    [
        new(new DetectionPolicy()),
        new(new DetectionPolicy { CensoredWeeks = CensoredWeeks.Missing }),
        new(new DetectionPolicy { MinimumCount = 0, MinimumRatio = 1 }),
    ];

    /// <summary>A series of 20 to 170 weeks around a level, each week exact, suppressed under k, unbounded or not reported.</summary>
    internal sealed record Scenario(int Seed, Dictionary<DateOnly, WeekCount> Totals, DateOnly Week)
    {
        public static Scenario From(int seed)
        {
            var random = new Random(seed);
            var weeks = random.Next(20, 170);
            var level = random.Next(4) switch { 0 => 1 + random.NextDouble() * 3, 1 => 3 + random.NextDouble() * 8, 2 => 10 + random.NextDouble() * 90, _ => 100 + random.NextDouble() * 3000 };
            var k = random.Next(2) == 0 ? 5 : 10;
            var censoring = random.NextDouble();
            var totals = new Dictionary<DateOnly, WeekCount>();
            for (var w = 0; w <= weeks; w++)
            {
                var count = (long)Math.Round(level * (0.3 + 1.4 * random.NextDouble()) * (w == weeks && random.Next(3) == 0 ? 4 : 1));
                var kind = random.NextDouble();
                if (kind < 0.05) continue;
                totals[Week0.AddDays(7 * w)] = kind < 0.08 ? new WeekCount(count / 2, null)
                    : count > 0 && count < k && random.NextDouble() < 0.5 + censoring / 2 ? new WeekCount(1, k - 1)
                    : kind < 0.08 + censoring * 0.2 ? new WeekCount(Math.Max(0, count - random.Next(0, 50)), count + random.Next(0, 50))
                    : WeekCount.Exact(count);
            }
            totals[Week0.AddDays(7 * weeks)] = random.Next(3) switch
            {
                0 => new WeekCount(1, k - 1),
                1 => new WeekCount((long)(level * random.NextDouble() * 4), random.Next(4) == 0 ? null : (long)(level * (4 + random.NextDouble() * 4))),
                _ => WeekCount.Exact((long)(level * random.NextDouble() * 5)),
            };
            return new Scenario(seed, totals, Week0.AddDays(7 * weeks));
        }

        public override string ToString() => $"seed {Seed}: week {Week} = {Totals[Week]}";
    }

    private static void Check(Action<Scenario> property) =>
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(ArbMap.Default.GeneratorFor<int>().Select(Scenario.From).ToArbitrary(), property));

    [Fact]
    public void Censored_handling_never_throws_and_never_alerts_a_week_whose_interval_lies_under_the_bound()
    {
        var decided = 0;
        Check(s =>
        {
            foreach (var judge in Judges)
            {
                var verdict = judge.Judge(s.Totals, s.Week);
                var count = s.Totals[s.Week];
                Assert.False(verdict.UpperBound is { } b && (double.IsNaN(b) || b < 0), $"{s}: bound {verdict.UpperBound}");
                if (verdict.UpperBound is { } bound && count.High is { } high && high <= bound)
                    Assert.False(verdict.Surge, $"{s}: a surge although at most {high} under the bound {bound}");
                if (!verdict.Surge) continue;
                // A surge rests on what is known for sure: its lower end, which is what the verdict reports.
                Assert.Equal(count.Low, verdict.Observed);
                Assert.True(verdict.Observed > verdict.UpperBound, $"{s}: surge at {verdict.Observed} under the bound {verdict.UpperBound}");
                if (!count.IsExact) decided++;
            }
        });
        Assert.True(decided > 0, "some censored weeks must be surges already at their lower end");
    }

    [Fact]
    public void A_censored_week_gets_the_verdict_both_its_ends_agree_on_or_none()
    {
        Check(s =>
        {
            var count = s.Totals[s.Week];
            if (count.IsExact || count.High is not { } high) return;
            foreach (var judge in Judges)
            {
                var atLow = judge.Judge(new Dictionary<DateOnly, WeekCount>(s.Totals) { [s.Week] = WeekCount.Exact(count.Low) }, s.Week);
                var atHigh = judge.Judge(new Dictionary<DateOnly, WeekCount>(s.Totals) { [s.Week] = WeekCount.Exact(high) }, s.Week);
                var verdict = judge.Judge(s.Totals, s.Week);
                if (verdict.Surge) Assert.True(atLow.Surge && atHigh.Surge, $"{s}: a surge that its lower end is not");
                else if (verdict.Judged) Assert.False(atHigh.Surge && atHigh.Algorithm == verdict.Algorithm, $"{s}: no surge although its upper end is one");
            }
        });
    }
}
