#!/usr/bin/env python3
"""Streams observations through EarlyWarning while injecting faults, then checks exactly-once delivery.

Run by deploy/local/faults.sh, which starts the system and passes where everything is."""
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
p.add_argument("--seed", type=int, default=12)
args = p.parse_args()
random.seed(args.seed)
SERVICES = ["Ingestion", "Anonymization", "Classification", "Alerting"]
NATIONALITIES = ["venezolana", "haitiana", "colombiana", "peruana", "boliviana"]
CATEGORIES = ["Ingreso por paso no habilitado", "Solicitud de refugio"]
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


def infra(command):
    subprocess.run(["bash", args.infra, command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def submission_csv(k):
    """About rows_per_submission distinct cells at a border point of this submission's own, weekly, by sex."""
    rows = ["period,border_point,nationality,category,sex,count"]
    per_week = len(NATIONALITIES) * len(CATEGORIES) * 2
    weeks = max(1, args.rows_per_submission // per_week)
    monday = datetime.date(2020, 1, 6)
    for w in range(weeks):
        period = (monday + datetime.timedelta(weeks=w)).isoformat()
        for n in NATIONALITIES:
            for c in CATEGORIES:
                for sex in ("F", "M"):
                    rows.append(f"{period},Fault point {k},{n},{c},{sex},{random.randint(0, 80)}")
    return ("\n".join(rows) + "\n").encode()


accepted_rows = 0
accepted_ids = []
lock = threading.Lock()


def post(k):
    global accepted_rows
    body = submission_csv(k)
    while True:
        try:
            request = urllib.request.Request(f"{args.ingestion}/api/submissions?country=CHL&batchSize={args.batch_size}",
                                             data=body, headers={"Content-Type": "text/csv", "X-Api-Key": os.environ["EW_API_KEY"]}, method="POST")
            with urllib.request.urlopen(request, timeout=120) as response:
                receipt = json.load(response)
                with lock:
                    accepted_rows += receipt["observations"]
                    accepted_ids.append(receipt["submissionId"])
                return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                raise SystemExit(f"Ingestion refused the submission: {error.code} {error.read()[:300]!r}")
            time.sleep(1)
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            # Ingestion killed or PostgreSQL away: a publisher retries (an unanswered request may still have been accepted).
            time.sleep(1)


submissions = (args.observations + args.rows_per_submission - 1) // args.rows_per_submission
posted = threading.Event()


def stream():
    next_k = iter(range(submissions))
    def worker():
        for k in next_k:
            post(k)
    workers = [threading.Thread(target=worker) for _ in range(2)]
    for t in workers: t.start()
    for t in workers: t.join()
    posted.set()


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
    faults += [("broker-restart", None), ("postgres-restart", None), ("postgres-stop", None)]
    random.shuffle(faults)
    gap = max(1.0, duration_guess / (len(faults) + 1))
    for kind, service in faults:
        time.sleep(random.uniform(0.5 * gap, 1.5 * gap))
        if kind == "kill":
            kill(service)
        elif kind == "broker-restart":
            log("restarting RabbitMQ"); infra("rabbit-down"); infra("rabbit-up"); log("RabbitMQ is back")
        elif kind == "postgres-restart":
            log("restarting PostgreSQL"); infra("pg-down"); infra("pg-up"); log("PostgreSQL is back")
        else:
            log(f"stopping PostgreSQL for {args.postgres_stop_seconds} s"); infra("pg-down")
            time.sleep(args.postgres_stop_seconds)
            infra("pg-up"); log("PostgreSQL is back")


def error_queue_messages():
    # Both sides: the national virtual host (Ingestion, Anonymization) and the regional one.
    out = "".join(subprocess.run(["bash", "-c", f"source '{args.infra}' && ew_rabbitmqctl list_queues -p '{args.vhost}-{side}' name messages"],
                                 capture_output=True, text=True, check=True).stdout for side in ("national", "regional"))
    total, detail = 0, []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit() and (parts[0].endswith("_error") or parts[0].endswith("_dead")):
            total += int(parts[1])
            if int(parts[1]): detail.append(f"{parts[0]}={parts[1]}")
    return total, detail


log(f"streaming {args.observations:,} observations ({submissions} submissions of {args.rows_per_submission:,}, "
    f"{args.batch_size} per message); faults: kill -9 x{args.kills_per_service} per service, broker restart, "
    f"PostgreSQL restart, PostgreSQL stopped {args.postgres_stop_seconds} s")
streamer = threading.Thread(target=stream); streamer.start()
# About 8,000 observations per second end to end on two cores, plus the outage.
injector = threading.Thread(target=inject, args=(args.observations / 8000 + args.postgres_stop_seconds,)); injector.start()
injector.join()
log("all faults injected")
streamer.join()
log(f"all submissions accepted: {accepted_rows:,} observations")

deadline = time.monotonic() + 1800
while True:
    try:
        state = psql("""SELECT (SELECT count(*) FROM ingestion.observations),
                               (SELECT count(*) FROM classification.harmonized_observations),
                               (SELECT count(*) FROM classification.outbox),
                               (SELECT count(*) FROM alerting.inbox),
                               (SELECT count(*) FROM ingestion.outbox WHERE dispatched_at IS NULL)
                                 + (SELECT count(*) FROM anonymization.outbox WHERE dispatched_at IS NULL)
                                 + (SELECT count(*) FROM classification.outbox WHERE dispatched_at IS NULL)
                                 + (SELECT count(*) FROM alerting.outbox WHERE dispatched_at IS NULL)""")
        ingested, harmonized, harmonized_batches, evaluated, pending = map(int, state.split("|"))
        if harmonized >= ingested and evaluated >= harmonized_batches and pending == 0:
            break
    except RuntimeError:
        pass
    if time.monotonic() > deadline:
        log("gave up waiting after 30 minutes"); break
    time.sleep(2)
elapsed = time.monotonic() - started
time.sleep(3)  # let the last acknowledgements and error-queue moves settle

lost = int(psql("""SELECT (SELECT count(*) FROM ingestion.observations i WHERE NOT EXISTS (
                      SELECT 1 FROM classification.harmonized_observations h WHERE h.submission_id = i.submission_id AND h.line = i.line))
                   + (SELECT count(*) FROM classification.outbox o WHERE NOT EXISTS (
                      SELECT 1 FROM alerting.inbox a WHERE a.message_id = o.message_id))"""))
# Each batch is anonymized, harmonized and evaluated once: count batches (and rows, and alerts) seen more than once.
duplicated = int(psql("""SELECT
    (SELECT count(*) - count(DISTINCT (submission_id, line)) FROM classification.harmonized_observations)
  + (SELECT count(*) - count(DISTINCT (submission_id, batch_number)) FROM anonymization.submission_batches)
  + (SELECT count(*) - count(DISTINCT (convert_from(body, 'UTF8')::json->>'submissionId', convert_from(body, 'UTF8')::json->>'batchNumber')) FROM classification.outbox)
  + (SELECT count(*) - count(DISTINCT (series_key, period, algorithm)) FROM alerting.alerts)"""))
missing_receipts = int(psql(f"SELECT {len(accepted_ids)} - count(*) FROM ingestion.submissions WHERE submission_id = ANY(ARRAY[{','.join(repr(i) for i in accepted_ids) or 'NULL'}]::uuid[])"))
errors, detail = error_queue_messages()
alerts = psql("SELECT count(*) FROM alerting.alerts")
restarts = sum(open(os.path.join(os.path.dirname(args.pids), "logs", f"{s}.log")).read().count("[supervisor]") for s in SERVICES)
print()
print(f"observations accepted {ingested:,} (answered 202 for {accepted_rows:,}; receipts missing {missing_receipts}), "
      f"harmonized {harmonized:,}, batches evaluated {evaluated:,}, alerts {alerts}, service restarts {restarts}")
print(f"lost={lost} duplicated={duplicated} error-queue={errors}{' (' + ', '.join(detail) + ')' if detail else ''} time={elapsed:.0f}s")
sys.exit(0 if lost == 0 and duplicated == 0 and errors == 0 and missing_receipts == 0 else 1)
