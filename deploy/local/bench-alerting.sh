#!/usr/bin/env bash
# Alerting's judge inside the running service: starts Alerting alone (fresh database and virtual host), fills its
# kept weekly totals with synthetic series (argument: how many, default 30,000; a third each with 160, 80 and 30
# weeks of history, usual level 10 to 300 a week with a yearly season), asks the service to judge their last week
# (POST /api/operations/judging-speed, a dry run): from the history, as a week's first verdict is made, then again from
# the verdicts' bases, as a revised count of the week is. Prints series judged per second for each detector, stops.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/infra.sh"
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"

series="${1:-30000}"
week=2026-01-05
cleanup() { trap - INT TERM EXIT; ew_services_stop; ew_down; }
trap cleanup EXIT
trap 'exit 130' INT TERM

ew_up
ew_database earlywarning_bench_alerting 1
ew_vhost earlywarning-bench-alerting
ew_service_env earlywarning_bench_alerting earlywarning-bench-alerting
ew_build
EW_SERVICES=(Alerting)
ew_services_start
ew_log "writing $series synthetic series into alerting.series_weeks"
ew_psql earlywarning_bench_alerting -q <<SQL
INSERT INTO alerting.series_weeks (level, reporting_country, border_point, nationality, category, period, total, unknown, cells)
SELECT 'country+borderPoint+nationality+category', 'CHL', 'BENCH-' || s, 'VEN', 'IRREGULAR_ENTRY', date '$week' - 7 * w,
       greatest(0, round(p.mean * (1 + 0.4 * sin(2 * pi() * w / 52.0)) + sqrt(p.mean) * 2 * (random() + random() + random() - 1.5)))::bigint, 0, 1
FROM generate_series(1, $series) s,
     LATERAL (SELECT 10 + (s * 7919) % 291 AS mean, CASE s % 3 WHEN 0 THEN 160 WHEN 1 THEN 80 ELSE 30 END AS weeks) p,
     LATERAL generate_series(0, p.weeks) w
-- Week by week, oldest first, as weeks arrive: the rows of a week lie together, as they do in a running service.
ORDER BY w DESC, s;
-- As autovacuum does in a running service: statistics, and block ranges summarized for series_weeks_period.
VACUUM ANALYZE alerting.series_weeks;
SQL
key="$(ew_admin keys issue --name "judging benchmark" --role operator 2>/dev/null)"
report="$(curl -fsS -X POST -H "X-Api-Key: $key" "http://127.0.0.1:${EW_SERVICE_PORT[Alerting]}/api/operations/judging-speed?week=$week")"
python3 - "$report" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
print(f"Alerting, inside the running service: week {r['week']} of {r['series']:,} series, {r['cores']} cores")
print("From the history (a week's first verdict, or one whose history changed):")
print(f"  read (kept weekly totals, history up to 160 weeks)  {r['readSeconds']:8.2f} s")
print(f"  judge, every series with its own detector           {r['judgeSeconds']:8.2f} s   {r['seriesPerSecond']:10,.0f} series/s")
print(f"  read + judge for 200,000 series at this rate        {r['secondsFor200000']:8.2f} s")
def table(rows):
    print(f"  {'detector':<40} {'series':>8} {'seconds':>9} {'series/s':>11}")
    for d in rows:
        print(f"  {d['detector'][:40]:<40} {d['series']:>8,} {d['seconds']:>9.2f} {d['seriesPerSecond']:>11,.0f}")
table(r['detectors'])
print(f"Re-judged from the verdicts' bases (a revised count of the week): {r['rejudged']:,} series, {r['sentToHistory']:,} sent back to their history")
print(f"  read (bases and the week's counts, one query)      {r['rejudgeReadSeconds']:8.2f} s")
print(f"  decide, every series with its own judge            {r['rejudgeSeconds']:8.2f} s")
print(f"  read + decide                                       {r['rejudgeReadSeconds'] + r['rejudgeSeconds']:8.2f} s   {r['rejudgedPerSecond']:10,.0f} series/s")
print(f"  read + decide for 200,000 series at this rate       {r['rejudgeSecondsFor200000']:8.2f} s")
table(r['rejudgeDetectors'])
PY
