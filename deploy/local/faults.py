#!/usr/bin/env python3
"""Streams observations through EarlyWarning while injecting faults, then checks exactly-once delivery.

Run by deploy/local/faults.sh, which starts the system and passes where everything is.

Accounting follows what each stage is responsible for. Anonymization releases a submission only once all its
batches are in, as the published tables of its agreement (series totals and breakdowns, some suppressed), so a
released cell is not a submitted row: expected downstream is exactly the cells Anonymization released, as it
recorded them in its outbox (checked against anonymization.submission_audit), identified by submission, place in
the release (line), cell identity and version. Observed is what Classification stored of them: harmonized cells
plus cells held for review (no mapping yet)."""
import argparse, datetime, json, os, random, signal, subprocess, sys, threading, time, urllib.error, urllib.request

p = argparse.ArgumentParser()
p.add_argument("--ingestion", required=True)
p.add_argument("--infra", required=True)
p.add_argument("--pids", required=True)
p.add_argument("--database", required=True)
p.add_argument("--vhost", required=True)
p.add_argument("--observations", type=int, default=1_000_000)
p.add_argument("--rows-per-submission", type=int, default=10_000)
p.add_argument("--batch-size", type=int, default=1000)
p.add_argument("--kills-per-service", type=int, default=10)
p.add_argument("--postgres-stop-seconds", type=int, default=60)
p.add_argument("--broker", choices=["single", "cluster"], default="single",
               help="single: restart the broker once; cluster: kill -9 one node of the three (then start it again)")
p.add_argument("--node-down-seconds", type=int, default=60, help="cluster: how long the killed node stays down")
p.add_argument("--seed", type=int, default=12)
args = p.parse_args()
random.seed(args.seed)
SERVICES = ["Ingestion", "Anonymization", "Classification", "Alerting"]
NATIONALITIES = ["venezolana", "haitiana", "colombiana", "peruana", "boliviana"]
CATEGORIES = ["Ingreso por paso no habilitado", "Solicitud de refugio"]
AGE_GROUPS = ["0-17", "18-59", "60+"]
started = time.monotonic()


def log(message):
    print(f"[faults {time.monotonic() - started:7.1f}s] {message}", flush=True)


def psql(sql):
    env = dict(os.environ)
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", env.get("EW_PG_PORT", "5442"), "-U", "postgres", "-d", args.database,
                          "-tAF", "|", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip())
    return out.stdout.strip()


def infra(*command):
    subprocess.run(["bash", args.infra, *command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def submission_csv(k):
    """About rows_per_submission distinct cells at a border point of this submission's own, weekly, by sex and age
    group. Counts from 0 to 30 per row: some cells fall under the agreement's threshold and are suppressed."""
    rows = ["period,border_point,nationality,category,sex,age_group,count"]
    monday = datetime.date(2020, 1, 6)
    w = 0
    while len(rows) <= rows_in(k):
        period = (monday + datetime.timedelta(weeks=w)).isoformat()
        for n in NATIONALITIES:
            for c in CATEGORIES:
                for sex in ("F", "M"):
                    for age in AGE_GROUPS:
                        rows.append(f"{period},Fault point {k},{n},{c},{sex},{age},{random.randint(0, 30)}")
        w += 1
    # Exactly the submission's share of the observations (the last week may be cut short: a partial week still adds up).
    return ("\n".join(rows[:rows_in(k) + 1]) + "\n").encode()


accepted_rows = 0
accepted_ids = set()
lock = threading.Lock()


def post(k, body):
    global accepted_rows
    while True:
        try:
            # The same key on every attempt: a retried request whose first answer was lost gets the original receipt.
            request = urllib.request.Request(f"{args.ingestion}/api/submissions?country=CHL&batchSize={args.batch_size}", data=body,
                                             headers={"Content-Type": "text/csv", "X-Api-Key": os.environ["EW_API_KEY"],
                                                      "Idempotency-Key": f"faults-{args.seed}-{k}"}, method="POST")
            with urllib.request.urlopen(request, timeout=120) as response:
                receipt = json.load(response)
                with lock:
                    if receipt["submissionId"] not in accepted_ids:
                        accepted_rows += receipt["observations"]
                        accepted_ids.add(receipt["submissionId"])
                return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                raise SystemExit(f"Ingestion refused the submission: {error.code} {error.read()[:300]!r}")
            time.sleep(1)
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            # Ingestion killed or PostgreSQL away: a publisher retries (an unanswered request may still have been accepted).
            time.sleep(1)


submissions = (args.observations + args.rows_per_submission - 1) // args.rows_per_submission


def rows_in(k):
    return min(args.rows_per_submission, args.observations - k * args.rows_per_submission)


bodies = [submission_csv(k) for k in range(submissions)]


def stream():
    next_k = iter(range(submissions))
    def worker():
        for k in next_k:
            post(k, bodies[k])
    workers = [threading.Thread(target=worker) for _ in range(2)]
    for t in workers: t.start()
    for t in workers: t.join()


def kill(service):
    try:
        with open(os.path.join(args.pids, service)) as f:
            pid = int(f.read().strip())
        os.kill(pid, signal.SIGKILL)
        log(f"kill -9 {service} (pid {pid})")
    except (OSError, ValueError) as error:
        log(f"could not kill {service}: {error}")


def inject(duration_guess):
    """Spreads the faults over the expected duration of the stream, in random order."""
    faults = [("kill", s) for s in SERVICES for _ in range(args.kills_per_service)]
    faults += [("broker", None), ("postgres-restart", None), ("postgres-stop", None)]
    random.shuffle(faults)
    gap = max(1.0, duration_guess / (len(faults) + 1))
    for kind, service in faults:
        time.sleep(random.uniform(0.5 * gap, 1.5 * gap))
        if kind == "kill":
            kill(service)
        elif kind == "broker" and args.broker == "single":
            log("restarting RabbitMQ"); infra("rabbit-down"); infra("rabbit-up"); log("RabbitMQ is back")
        elif kind == "broker":
            # The node every service and the shovel try first, and where the queues were declared.
            log("kill -9 of RabbitMQ cluster node 1"); infra("cluster-kill", "1")
            time.sleep(args.node_down_seconds)
            infra("cluster-start", "1"); log(f"cluster node 1 is back after {args.node_down_seconds} s")
        elif kind == "postgres-restart":
            log("restarting PostgreSQL"); infra("pg-down"); infra("pg-up"); log("PostgreSQL is back")
        else:
            log(f"stopping PostgreSQL for {args.postgres_stop_seconds} s"); infra("pg-down")
            time.sleep(args.postgres_stop_seconds)
            infra("pg-up"); log("PostgreSQL is back")


def error_queue_messages():
    """Messages in every _error, _dead and _skipped queue of every virtual host of the broker."""
    def ctl(command):
        return subprocess.run(["bash", "-c", f"source '{args.infra}' && ew_rabbitmqctl {command}"],
                              capture_output=True, text=True, check=True).stdout
    total, detail = 0, []
    for vhost in ctl("list_vhosts name").split():
        if not vhost.startswith(args.vhost):
            continue
        for line in ctl(f"list_queues -p '{vhost}' name messages").splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit() and parts[0].endswith(("_error", "_dead", "_skipped")):
                total += int(parts[1])
                if int(parts[1]): detail.append(f"{vhost}/{parts[0]}={parts[1]}")
    return total, detail


ACCEPTED = "SELECT submission_id, batch_count, observation_count FROM ingestion.submissions"
ANONYMIZED = "SELECT message_id, body FROM anonymization.outbox WHERE message_type = 'EarlyWarning.Contracts.ObservationsAnonymized'"
HARMONIZED = "SELECT message_id, body FROM classification.outbox WHERE message_type = 'EarlyWarning.Contracts.ObservationsHarmonized'"
OUTBOXES = ["ingestion", "anonymization", "classification", "alerting"]


def progress():
    """Cheap counts to wait on: submissions not yet released, messages a stage sent that the next has not processed,
    outbox rows not yet published."""
    # The weeks of wide series (country totals...) still to be judged count as pending too.
    pending = " + ".join([f"(SELECT count(*) FROM {s}.outbox WHERE dispatched_at IS NULL AND set_aside_at IS NULL)" for s in OUTBOXES]
                         + ["(SELECT count(*) FROM alerting.wide_judging_due)"])
    row = psql(f"""SELECT (SELECT count(*) FROM ({ACCEPTED}) s WHERE NOT EXISTS (SELECT 1 FROM anonymization.submission_audit a WHERE a.submission_id = s.submission_id)),
                          (SELECT count(*) FROM ({ANONYMIZED}) m WHERE NOT EXISTS (SELECT 1 FROM classification.inbox i WHERE i.message_id = m.message_id)),
                          (SELECT count(*) FROM ({HARMONIZED}) m WHERE NOT EXISTS (SELECT 1 FROM alerting.inbox i WHERE i.message_id = m.message_id)),
                          {pending}""")
    return tuple(map(int, row.split("|")))


log(f"streaming {args.observations:,} observations ({submissions} submissions of {args.rows_per_submission:,}, "
    f"{args.batch_size} per message); faults: kill -9 x{args.kills_per_service} per service, "
    f"{'broker restart' if args.broker == 'single' else f'kill -9 of one of three broker nodes ({args.node_down_seconds} s down)'}, "
    f"PostgreSQL restart, PostgreSQL stopped {args.postgres_stop_seconds} s")
streamer = threading.Thread(target=stream); streamer.start()
# About 3,000 observations per second end to end on two shared cores, plus the outages.
injector = threading.Thread(target=inject, args=(args.observations / 3000 + args.postgres_stop_seconds,)); injector.start()
injector.join()
log("all faults injected")
streamer.join()
log(f"all {len(accepted_ids)} submissions accepted: {accepted_rows:,} observations")

deadline, last, last_change = time.monotonic() + 3600, None, time.monotonic()
while True:
    try:
        state = progress()
        if state != last:
            log(f"waiting: submissions not released {state[0]}, anonymized messages not classified {state[1]}, "
                f"harmonized messages not evaluated {state[2]}, outbox rows unpublished {state[3]}")
            last, last_change = state, time.monotonic()
        if state == (0, 0, 0, 0):
            break
    except RuntimeError:
        pass
    if time.monotonic() > deadline or time.monotonic() - last_change > 600:
        log("gave up waiting: no progress for 10 minutes (or an hour in all)"); break
    time.sleep(2)
elapsed = time.monotonic() - started
time.sleep(3)  # let the last acknowledgements and error-queue moves settle

# Every released cell of every message Anonymization committed, with its typed identity. Each body is parsed once
# (OFFSET 0 keeps PostgreSQL from inlining the parse into every cell's row) and split into its cells.
MESSAGES = """SELECT (b->>'submissionId')::uuid AS submission_id, (b->>'batchNumber')::int AS batch_number, b->'observations' AS cells
              FROM (SELECT convert_from(body, 'UTF8')::jsonb AS b FROM ({source}) s OFFSET 0) parsed"""
EXPECTED = """SELECT m.submission_id, m.batch_number, (c->>'line')::int AS line, (c->>'cellId')::uuid AS cell_id, (c->>'version')::bigint AS version
              FROM anonymized m, LATERAL jsonb_array_elements(m.cells) c"""
accounting = psql(f"""
WITH accepted AS ({ACCEPTED}),
     anonymized AS MATERIALIZED ({MESSAGES.format(source=ANONYMIZED)}),
     harmonized AS MATERIALIZED ({MESSAGES.format(source=HARMONIZED)}),
     expected AS MATERIALIZED ({EXPECTED}),
     released AS (SELECT submission_id, count(*) AS cells, count(DISTINCT line) AS lines FROM expected GROUP BY submission_id),
     batches AS (SELECT submission_id, count(DISTINCT batch_number) AS received, sum(observations) AS observations
                 FROM anonymization.submission_batches GROUP BY submission_id)
SELECT
  -- lost: batches Anonymization never received, submissions never released, released cells neither harmonized nor
  -- held, harmonized messages Alerting never evaluated
  (SELECT coalesce(sum(a.batch_count - coalesce(b.received, 0)), 0) FROM accepted a LEFT JOIN batches b USING (submission_id)),
  (SELECT count(*) FROM accepted a WHERE NOT EXISTS (SELECT 1 FROM anonymization.submission_audit s WHERE s.submission_id = a.submission_id)),
  (SELECT count(*) FROM expected e WHERE NOT EXISTS (
       SELECT 1 FROM classification.harmonized_observations h
       WHERE h.submission_id = e.submission_id AND h.line = e.line AND h.cell_id = e.cell_id AND h.version = e.version)
     AND NOT EXISTS (SELECT 1 FROM classification.held_cells h WHERE h.submission_id = e.submission_id AND h.line = e.line)),
  (SELECT count(*) FROM ({HARMONIZED}) m WHERE NOT EXISTS (SELECT 1 FROM alerting.inbox i WHERE i.message_id = m.message_id)),
  -- released cells the audit counts but no message carries (lost), or messages carry more often than released (duplicated)
  (SELECT coalesce(sum(greatest(s.released - coalesce(r.lines, 0), 0)), 0) FROM anonymization.submission_audit s LEFT JOIN released r USING (submission_id)),
  (SELECT coalesce(sum(greatest(r.cells - s.released, 0)), 0) FROM anonymization.submission_audit s JOIN released r USING (submission_id)),
  -- duplicated: a release message sent twice, a cell both harmonized and held, a harmonized message sent twice,
  -- an alert raised twice for one series and period
  (SELECT count(*) - count(DISTINCT (submission_id, batch_number)) FROM anonymized),
  (SELECT count(*) FROM classification.harmonized_observations h JOIN classification.held_cells d USING (submission_id, line)),
  (SELECT count(*) - count(DISTINCT (submission_id, batch_number)) FROM harmonized),
  (SELECT count(*) - count(DISTINCT (reporting_country, border_point, nationality, category, period, algorithm)) FROM alerting.alerts),
  -- figures
  (SELECT coalesce(sum(observation_count), 0) FROM accepted),
  (SELECT coalesce(sum(observations), 0) FROM batches),
  (SELECT count(*) FROM expected),
  (SELECT coalesce(sum(primary_suppressed + secondary_suppressed), 0) FROM anonymization.submission_audit),
  (SELECT count(*) FROM classification.harmonized_observations),
  (SELECT count(*) FROM classification.held_cells),
  (SELECT count(*) FROM harmonized),
  (SELECT count(*) FROM alerting.alerts),
  ({" + ".join(f"(SELECT count(*) FROM {s}.outbox WHERE set_aside_at IS NOT NULL)" for s in OUTBOXES)})
""")
(lost_batches, unreleased, lost_cells, unevaluated, audit_short, audit_over, dup_release, dup_held, dup_harmonized, dup_alerts,
 ingested, anonymized_rows, released_cells, suppressed, harmonized, held, harmonized_messages, alerts, set_aside) = map(int, accounting.split("|"))
lost = lost_batches + unreleased + lost_cells + unevaluated + audit_short
duplicated = audit_over + dup_release + dup_held + dup_harmonized + dup_alerts
missing_receipts = int(psql(f"SELECT {len(accepted_ids)} - count(*) FROM ingestion.submissions WHERE submission_id = ANY(ARRAY[{','.join(repr(i) for i in accepted_ids) or 'NULL'}]::uuid[])"))
errors, detail = error_queue_messages()
restarts = sum(open(os.path.join(os.path.dirname(args.pids), "logs", f"{s}.log")).read().count("[supervisor]") for s in SERVICES)
print()
print(f"observations accepted {ingested:,} (202 receipts for {accepted_rows:,} in {len(accepted_ids)} submissions; receipts missing {missing_receipts}), "
      f"anonymized {anonymized_rows:,}; cells released {released_cells:,} ({suppressed:,} suppressed), harmonized {harmonized:,}, "
      f"held for review {held:,}; harmonized messages {harmonized_messages:,}; alerts {alerts}; service restarts {restarts}")
print(f"lost: batches {lost_batches}, unreleased submissions {unreleased}, cells {lost_cells + audit_short}, unevaluated messages {unevaluated}; "
      f"duplicated: releases {dup_release + audit_over}, harmonized-and-held {dup_held}, harmonized messages {dup_harmonized}, alerts {dup_alerts}; "
      f"outbox rows set aside {set_aside}")
print(f"lost={lost} duplicated={duplicated} error-queue={errors}{' (' + ', '.join(detail) + ')' if detail else ''} time={elapsed:.0f}s")
ok = lost == 0 and duplicated == 0 and errors == 0 and missing_receipts == 0 and set_aside == 0 and ingested == accepted_rows == anonymized_rows
sys.exit(0 if ok else 1)
