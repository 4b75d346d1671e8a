using System.Globalization;
using System.Text;
using EarlyWarning.Evaluation.Generation;

namespace EarlyWarning.Evaluation.Scoring;

/// <summary>The raw results: every planted surge with its outcome per level and side, every alert with its match, the goals.</summary>
internal static class ResultsCsv
{
    public static void Write(string folder, Dataset data, IEnumerable<(string Side, List<LevelScore> Levels)> sides, List<Goal> goals)
    {
        Directory.CreateDirectory(folder);
        var surges = new StringBuilder("side,level,surge,country,border_point,nationality,category,national_border_point,national_nationality,national_category," +
                                       "usual_level,size_class,start_week,duration,size,peak_count,series,uplift,alerts,weeks_to_first_alert,detected_2_weeks,detected_any_week\n");
        var alerts = new StringBuilder("side,level,country,border_point,nationality,category,start_week,last_surge_week,closed_week,state,severity,matched_surges,false_alert,withdrawn_reason\n");
        foreach (var (side, levels) in sides)
        foreach (var level in levels)
        {
            foreach (var o in level.Surges)
            {
                var s = o.Surge.Series;
                surges.AppendLine(string.Join(',', side, level.Level, o.Surge.Id, s.Country, s.Point.Code, s.Nationality.Iso3, s.Category.Regional,
                    Q(s.Point.National), Q(s.Nationality.National), Q(s.Category.National), F(s.Level), s.SizeClass.Label(), Week(data, o.Surge.Start),
                    o.Surge.Duration, F(o.Surge.Size), o.Surge.PeakCount, Q(o.Series.ToString()), F(o.Uplift), o.Alerts, o.WeeksToFirstAlert?.ToString(CultureInfo.InvariantCulture) ?? "",
                    o.Early ? 1 : 0, o.Any ? 1 : 0));
            }
            foreach (var a in level.Alerts)
            {
                var p = a.Alert.Series.Parts;
                alerts.AppendLine(string.Join(',', side, level.Level, p.Country, Q(p.BorderPoint), p.Nationality, p.Category, Week(data, a.Alert.Start),
                    Week(data, a.Alert.LastSurgeWeek), a.Alert.ClosedWeek is { } c ? Week(data, c) : "", a.Alert.State, a.Alert.Severity ?? "",
                    string.Join(' ', a.Surges), a.False ? 1 : 0, Q(a.Alert.WithdrawnReason ?? "")));
            }
        }
        File.WriteAllText(Path.Combine(folder, "surges.csv"), surges.ToString());
        File.WriteAllText(Path.Combine(folder, "alerts.csv"), alerts.ToString());
        File.WriteAllText(Path.Combine(folder, "goals.csv"), "goal,pipeline,ceiling,met\n" +
            string.Concat(goals.Select(g => $"{Q(g.Text)},{Q(g.Pipeline)},{Q(g.Ceiling)},{(g.Met ? 1 : 0)}\n")));
    }

    private static string Week(Dataset data, int t) => t >= 0 && t < data.Weeks.Length ? data.Weeks[t].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : $"week {t}";
    private static string F(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);
    private static string Q(string v) => v.Contains(',') || v.Contains('"') ? $"\"{v.Replace("\"", "\"\"")}\"" : v;
}
