"""Reminder throughput: how fast `knipa worker` sends Web Push, against a bare pywebpush loop.

Makes its own PostgreSQL database (createdb on 127.0.0.1:5432 as postgres, dropped at the end),
migrates it with `knipa manage migrate`, and writes synthetic people with SQL (generate_series):
each with ReminderSettings(by_push=True), one PushSubscription with its own endpoint (the browser
keys are shared, which changes nothing for the sender: it encrypts for each push anyway) and five
occurrences, 100,000 by default. Their planning horizon is set far ahead, so the workers only send.
The push service is the cheapest one we have (`tests/reminders/push_service.py --counting`: an
asyncio server in a process of its own, which answers 201 and counts POSTs per Topic header), so
the figures measure the sender, not the receiver.

Measured in one run, because this machine (2 CPU cores, shared with whatever else runs) is noisy
and only ratios taken together are worth comparing:

(a) bare: `pywebpush.webpush()` in a loop, with Knipa's VAPID key, aes128gcm, a requests.Session,
    the same headers and a payload of the same size, to the same push service: sends/s.
(s) send-only: the worker's own send path (`channels.send_push` with its `PushSession` and cached
    VAPID signature) in a loop, without the database. The worker's send path is cheaper than the
    bare loop's (urllib3 instead of requests, one VAPID signature per push service an hour), so
    one worker to send-only says what the dispatcher itself costs: claiming, reading, deciding and
    writing down.
(b) one `knipa worker` draining a share of the occurrences: sends/s.
(c) two `knipa worker` processes draining another share together: sends/s in total.

The phases take turns, `--rounds` times (a, s, b, c, a, s, b, c, ..., a, s): the machine gets
faster or slower over minutes, by a fifth at times, and taking turns spreads that over every
phase instead of tilting one ratio. Each mode's sends/s is its rows over its time, summed over
the rounds; the bare and send-only loops are the mean of their runs.

Each drain starts with its workers running and waiting; then one UPDATE makes its share due at
once (due_at = next_attempt_at = that moment), so each phase is a backlog drained as fast as the
workers can. Its time runs from that commit to the last `sent_at`. Lateness (sent_at - due_at) is
therefore the time a row waited in that backlog: its p50 is about half the time to drain it, and
it says how long a burst of this size takes, not how late a reminder is when the service keeps
up. Duplicates are counted at the push service (an occurrence's Topic received twice) and must be
0, as must missed (status missed: more than 30 minutes late) and lost (not received at all).

Also printed: CPU time per send of the bare and send-only loops (this process), of the workers,
of their PostgreSQL server processes and of the push service (from /proc, so Linux only). Other
load on the machine slows sends/s but hardly changes CPU per send, so these say what a send costs
when sends/s are disturbed, and where the CPU goes when two workers share two cores.

Goals: one worker at least 0.8 of the bare loop; two workers at least 1.7 times one worker. With
2 cores shared by two workers, their two PostgreSQL backends, the push service and this process,
1.7 leaves little room: every CPU cycle spent outside the worker counts against it.

Usage: .venv/bin/python bench/reminders.py [--occurrences 100000] [--bare-sends 5000] [--rounds 2]
                                           [--batch 50] [--quick] [--keep-db]
A full run takes about four minutes here; --quick (4,000 occurrences, 1,000 bare sends) well
under one, and is too short for its ratios to mean much.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}
PER_PERSON = 5
FAR_AHEAD = "interval '2 days'"
WORKER_START_TIMEOUT_S = 60
DRAIN_TIMEOUT_S = 25 * 60  # past this, rows would be missed anyway (30 minutes late)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Measure how fast knipa worker sends Web Push reminders.")
    parser.add_argument("--occurrences", type=int, default=100_000,
                        help="due occurrences in all, half for one worker, half for two (default: 100000)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="how many times the phases take turns (default: 2)")
    parser.add_argument("--bare-sends", type=int, default=5_000, help="sends in the bare pywebpush loop (default: 5000)")
    parser.add_argument("--batch", type=int, default=100, help="the workers' --batch (default: 100, as knipa worker)")
    parser.add_argument("--quick", action="store_true", help="a small run: 4000 occurrences, 1000 bare sends")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database at the end")
    args = parser.parse_args(argv)
    if args.quick:
        args.occurrences, args.bare_sends = 4_000, 1_000
    if args.occurrences < 2 * PER_PERSON * args.rounds or args.bare_sends < 1 or args.rounds < 1:
        parser.error("--occurrences must be at least 10 per round, --bare-sends and --rounds at least 1")
    return args


def start_push_service(stack: ExitStack) -> tuple[str, int]:
    """The counting push service in a process of its own; returns its origin and process id."""
    process = subprocess.Popen([sys.executable, "-m", "tests.reminders.push_service", "--counting"],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
    stack.callback(stop_process, process)
    port = int(process.stdout.readline())
    return f"http://127.0.0.1:{port}", process.pid


def push_counts(origin: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{origin}/counts", timeout=60) as response:
        return json.load(response)


def stop_process(process: subprocess.Popen, timeout: float = 10) -> int | None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def make_people(origin: str, people: int) -> None:
    """Write the people, their settings, subscriptions and not yet due occurrences, with SQL."""
    from django.db import connection

    from tests.reminders.push_service import Browser

    browser = Browser("shared", "")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff,"
            " is_active, date_joined) SELECT '!', false, 'bench' || g, '', '', '', false, true, now()"
            " FROM generate_series(1, %s) g", [people])
        cursor.execute(
            "INSERT INTO accounts_profile (secured, language, body, goals, pain, recent_event, go_ahead, pregnant,"
            " time_zone, onboarded_at, created_at, updated_at, user_id)"
            " SELECT false, CASE WHEN id % 2 = 0 THEN 'sv' ELSE 'en' END, 'vagina', '[\"prevent\"]', false, 'none',"
            " false, false, 'Europe/Stockholm', now(), now(), now(), id FROM auth_user")
        cursor.execute(
            "INSERT INTO reminders_remindersettings (times, weekdays, quiet_dates, paused, by_push, by_email, email,"
            " calendar_token, planned_until, updated_at, profile_id)"
            " SELECT '[\"08:00\"]', '[0,1,2,3,4,5,6]', '[]', false, true, false, '', '', now() + interval '3650 days',"
            " now(), id FROM accounts_profile")
        cursor.execute(
            "INSERT INTO reminders_pushsubscription (endpoint, p256dh, auth, label, created_at, profile_id)"
            " SELECT %s || '/push/' || id, %s, %s, 'Bench browser', now(), id FROM accounts_profile",
            [origin, browser.p256dh, browser.auth])
        cursor.execute(
            "INSERT INTO reminders_occurrence (slot, due_at, snoozed, status, next_attempt_at, attempts, claimed_by,"
            " claimed_until, sent_at, deliveries, snooze_token, profile_id)"
            f" SELECT slot, now() + {FAR_AHEAD}, false, 'pending', now() + {FAR_AHEAD}, 0, '', NULL, NULL, '[]',"
            " substr(md5(p.id || '-' || slot || random()::text), 1, 32), p.id"
            " FROM accounts_profile p CROSS JOIN generate_series(0, %s) slot ORDER BY slot, p.id",
            [PER_PERSON - 1])
        cursor.execute("ANALYZE")


def reminder_message():
    """The dispatcher's message, with a snooze token of the same length (32), for both loops."""
    from knipa.reminders import channels

    return channels.Message(title="Time for your pelvic floor round",
                            body="A few calm minutes now keep you on track. Tap to start.", url="/train/",
                            tag="knipa-100000", language="en", snooze_token="x" * 32)


def bare_loop(origin: str, sends: int) -> tuple[float, float]:
    """(a): pywebpush.webpush() alone, as the dispatcher calls it; returns sends/s and CPU ms/send."""
    import requests
    from django.conf import settings
    from pywebpush import webpush

    from knipa.reminders import channels
    from knipa.reminders.vapid import vapid
    from tests.reminders.push_service import Browser

    browser = Browser("shared", "")
    key = vapid()
    payload = reminder_message().push_payload()
    session = requests.Session()
    started, cpu_started = time.perf_counter(), time.process_time()
    for index in range(sends):
        info = {"endpoint": f"{origin}/push/bare{index % 1000}", "keys": {"p256dh": browser.p256dh,
                                                                            "auth": browser.auth}}
        webpush(info, payload, vapid_private_key=key, vapid_claims={"sub": settings.VAPID_CONTACT},
                content_encoding="aes128gcm", ttl=channels.PUSH_TTL_SECONDS, timeout=channels.PUSH_TIMEOUT_SECONDS,
                headers={"Urgency": "normal", "Topic": f"bare-{index}"}, requests_session=session)
    return sends / (time.perf_counter() - started), (time.process_time() - cpu_started) / sends * 1000


def send_only_loop(origin: str, sends: int) -> tuple[float, float]:
    """(s): the worker's send path without the database; returns sends/s and CPU ms/send."""
    from knipa.reminders import channels
    from knipa.reminders.models import PushSubscription
    from knipa.reminders.vapid import vapid
    from tests.reminders.push_service import Browser

    browser = Browser("shared", "")
    key = vapid()
    message = reminder_message()
    subscriptions = [PushSubscription(endpoint=f"{origin}/push/only{index}", p256dh=browser.p256dh,
                                      auth=browser.auth) for index in range(1000)]
    session = channels.PushSession()
    started, cpu_started = time.perf_counter(), time.process_time()
    for index in range(sends):
        outcome = channels.send_push(subscriptions[index % 1000], message, session, f"only-{index}", vapid_key=key)
        if outcome.result is not channels.Result.DELIVERED:
            sys.exit(f"the send-only loop failed: {outcome}")
    return sends / (time.perf_counter() - started), (time.process_time() - cpu_started) / sends * 1000


def start_workers(count: int, env: dict, batch: int, logs: Path, stack: ExitStack) -> list[subprocess.Popen]:
    workers = []
    for number in range(count):
        log = open(logs / f"worker-{len(list(logs.iterdir()))}.log", "w")  # noqa: SIM115 - closed by the stack
        stack.callback(log.close)
        worker = subprocess.Popen(
            [sys.executable, "-m", "knipa.cli", "worker", "--batch", str(batch), "--poll", "0.1",
             "--name", f"bench-{count}-{number}"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
        stack.callback(stop_process, worker)
        workers.append(worker)
    deadline = time.monotonic() + WORKER_START_TIMEOUT_S
    for worker in workers:
        line = worker.stdout.readline()  # "Knipa reminder worker ... started"
        if "started" not in line or time.monotonic() > deadline:
            sys.exit(f"a worker did not start: {line!r} (see {logs})")
    return workers


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a live process has used (Linux /proc; 0 if it cannot be read)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_backends(cursor) -> list[int]:
    """The PostgreSQL server processes serving the workers (on this machine, so /proc sees them)."""
    cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
    return [pid for (pid,) in cursor.fetchall()]


def drain(workers: list[subprocess.Popen], first_id: int, last_id: int, push_service_pid: int) -> dict:
    """Make occurrences first_id..last_id due now, wait until none is waiting; returns figures.

    Besides the workers' CPU time, that of their PostgreSQL server processes and of the push
    service: with two workers on two cores, all of it competes for the same CPU."""
    from django.db import connection
    from django.utils import timezone

    with connection.cursor() as cursor:
        deadline = time.monotonic() + WORKER_START_TIMEOUT_S
        while len(backends := database_backends(cursor)) < len(workers):  # each connects on its first step
            if time.monotonic() > deadline:
                sys.exit("the workers did not connect to the database")
            time.sleep(0.05)
    cpu_before = sum(cpu_seconds(worker.pid) for worker in workers)
    database_before = sum(cpu_seconds(pid) for pid in backends)
    push_before = cpu_seconds(push_service_pid)
    due = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE reminders_occurrence SET due_at = %s, next_attempt_at = %s WHERE id BETWEEN %s AND %s",
                       [due, due, first_id, last_id])
    committed = time.time()  # autocommit: the rows are due for the workers from here
    deadline = time.monotonic() + DRAIN_TIMEOUT_S
    with connection.cursor() as cursor:
        while True:
            time.sleep(1)
            cursor.execute("SELECT count(*) FROM reminders_occurrence WHERE id BETWEEN %s AND %s"
                           " AND status = 'pending'", [first_id, last_id])
            if cursor.fetchone()[0] == 0:
                cpu = sum(cpu_seconds(worker.pid) for worker in workers) - cpu_before
                database_cpu = sum(cpu_seconds(pid) for pid in backends) - database_before
                push_cpu = cpu_seconds(push_service_pid) - push_before
                break
            if time.monotonic() > deadline or any(worker.poll() is not None for worker in workers):
                sys.exit("the workers did not drain their occurrences (see the worker logs)")
        cursor.execute(
            "SELECT count(*), max(extract(epoch FROM sent_at)),"
            " count(*) FILTER (WHERE status = 'missed'), count(*) FILTER (WHERE status <> 'sent')"
            " FROM reminders_occurrence WHERE id BETWEEN %s AND %s", [first_id, last_id])
        rows, last_sent, missed, not_sent = cursor.fetchone()
    seconds = float(last_sent) - committed
    return {"occurrences": rows, "seconds": round(seconds, 2), "sends_per_s": round(rows / seconds, 1),
            "missed": missed, "not_sent": not_sent, "worker_cpu_ms_per_send": round(cpu / rows * 1000, 3),
            "database_cpu_ms_per_send": round(database_cpu / rows * 1000, 3),
            "push_service_cpu_ms_per_send": round(push_cpu / rows * 1000, 3)}


def split(first_id: int, last_id: int, parts: int) -> list[tuple[int, int]]:
    """first_id..last_id in `parts` consecutive ranges of (nearly) equal size."""
    total = last_id - first_id + 1
    bounds = [first_id + total * part // parts for part in range(parts + 1)]
    return [(bounds[part], bounds[part + 1] - 1) for part in range(parts)]


def combine(phases: list[dict]) -> dict:
    """One mode's drains together: rows over time, CPU per send weighted by rows."""
    rows = sum(phase["occurrences"] for phase in phases)
    seconds = sum(phase["seconds"] for phase in phases)
    combined = {"occurrences": rows, "seconds": round(seconds, 2), "sends_per_s": round(rows / seconds, 1)}
    for key in ("missed", "not_sent"):
        combined[key] = sum(phase[key] for phase in phases)
    for key in ("worker_cpu_ms_per_send", "database_cpu_ms_per_send", "push_service_cpu_ms_per_send"):
        combined[key] = round(sum(phase[key] * phase["occurrences"] for phase in phases) / rows, 3)
    return combined


def mean_loop(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """Runs of the same size: sends over their total time, and the mean CPU per send."""
    return len(runs) / sum(1 / rate for rate, _cpu in runs), sum(cpu for _rate, cpu in runs) / len(runs)


def lateness_of(ranges: list[tuple[int, int]]) -> tuple[float, float]:
    """p50 and p99 of sent_at - due_at, in seconds, over the occurrences in these id ranges."""
    from django.db import connection

    where = " OR ".join(["id BETWEEN %s AND %s"] * len(ranges))
    with connection.cursor() as cursor:
        cursor.execute("SELECT percentile_cont(array[0.5, 0.99]) WITHIN GROUP"
                       f" (ORDER BY extract(epoch FROM sent_at - due_at)) FROM reminders_occurrence WHERE {where}",
                       [bound for pair in ranges for bound in pair])
        p50, p99 = cursor.fetchone()[0]
    return round(p50, 2), round(p99, 2)


def delivered(counts: dict[str, int], first_id: int, last_id: int) -> tuple[int, int]:
    """(duplicates, lost) at the push service: occurrences received more than once, and never."""
    received = [counts.get(f"knipa-{pk}", 0) for pk in range(first_id, last_id + 1)]
    return sum(1 for n in received if n > 1), sum(1 for n in received if n == 0)


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    people = -(-args.occurrences // PER_PERSON)
    database = f"knipa_bench_{os.getpid()}_{int(time.time())}"
    pg_args = ["-h", PG["host"], "-p", PG["port"], "-U", PG["user"]]
    data_dir = Path(tempfile.mkdtemp(prefix="knipa-bench-"))
    logs = data_dir / "logs"
    logs.mkdir()
    env = {**os.environ, "KNIPA_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "knipa.settings",
           "KNIPA_DATABASE_URL": f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{database}"}
    cores = os.cpu_count() or 1
    print(f"Knipa reminder throughput: {people * PER_PERSON} occurrences ({people} people x {PER_PERSON}), "
          f"{args.bare_sends} bare sends, worker batch {args.batch}, {cores} CPU cores, database {database}",
          flush=True)
    subprocess.run(["createdb", *pg_args, database], check=True)

    try:
        with ExitStack() as stack:
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "knipa.cli", "manage", "migrate", "--verbosity", "0"],
                           cwd=ROOT, env=env, check=True)
            os.environ.update({key: env[key] for key in ("KNIPA_DATA_DIR", "DJANGO_SETTINGS_MODULE",
                                                         "KNIPA_DATABASE_URL")})
            import django

            django.setup()
            from django.db import connection

            stack.callback(connection.close)
            origin, push_service_pid = start_push_service(stack)
            make_people(origin, people)
            with connection.cursor() as cursor:
                cursor.execute("SELECT min(id), max(id) FROM reminders_occurrence")
                first_id, last_id = cursor.fetchone()
            print(f"database ready in {time.perf_counter() - started:.1f} s", flush=True)
            shares = split(first_id, last_id, 2 * args.rounds)
            loops: dict[str, list[tuple[float, float]]] = {"bare": [], "send_only": []}
            drains: dict[int, list[dict]] = {1: [], 2: []}
            exits: list[int | None] = []

            def run_loops() -> None:
                loops["bare"].append(bare_loop(origin, args.bare_sends))
                loops["send_only"].append(send_only_loop(origin, args.bare_sends))
                (bare, bare_cpu), (only, only_cpu) = loops["bare"][-1], loops["send_only"][-1]
                print(f"(a) bare pywebpush loop: {bare:.0f} sends/s, {bare_cpu:.2f} ms CPU per send; "
                      f"(s) send-only loop: {only:.0f} sends/s, {only_cpu:.2f} ms CPU per send", flush=True)

            for turn in range(args.rounds):
                run_loops()
                for count, label in ((1, "(b) 1 worker: "), (2, "(c) 2 workers:")):
                    workers = start_workers(count, env, args.batch, logs, stack)
                    phase = drain(workers, *shares[2 * turn + count - 1], push_service_pid)
                    exits += [stop_process(worker) for worker in workers]
                    drains[count].append(phase)
                    print(f"{label} {phase['sends_per_s']:.0f} sends/s ({phase['occurrences']} in "
                          f"{phase['seconds']} s), {phase['worker_cpu_ms_per_send']:.2f} ms worker CPU per send",
                          flush=True)
            run_loops()
            lateness = {count: lateness_of([shares[2 * turn + count - 1] for turn in range(args.rounds)])
                        for count in (1, 2)}
            counts = push_counts(origin)
            duplicates, lost = delivered(counts, first_id, last_id)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if not args.keep_db:
            subprocess.run(["dropdb", *pg_args, "--if-exists", "--force", database], check=False)

    bare, bare_cpu = mean_loop(loops["bare"])
    send_only, send_only_cpu = mean_loop(loops["send_only"])
    one, two = combine(drains[1]), combine(drains[2])
    ratio = one["sends_per_s"] / bare
    speedup = two["sends_per_s"] / one["sends_per_s"]
    missed = one["missed"] + two["missed"]
    print(f"1 worker: {one['sends_per_s']:.0f} sends/s, lateness p50 {lateness[1][0]} s, p99 {lateness[1][1]} s; "
          f"2 workers: {two['sends_per_s']:.0f} sends/s, lateness p50 {lateness[2][0]} s, p99 {lateness[2][1]} s "
          f"(over {args.rounds} rounds)")
    print(f"1 worker / bare loop: {ratio:.2f} (goal >= 0.8: {'met' if ratio >= 0.8 else 'NOT met'})")
    print(f"1 worker / send-only loop: {one['sends_per_s'] / send_only:.2f} (what the dispatcher costs beside its sends)")
    print(f"2 workers / 1 worker: {speedup:.2f} (goal >= 1.7: {'met' if speedup >= 1.7 else 'NOT met'})")
    print(f"CPU per send: bare loop {bare_cpu:.2f} ms, send-only loop {send_only_cpu:.2f} ms, "
          f"1 worker {one['worker_cpu_ms_per_send']:.2f} ms, 2 workers {two['worker_cpu_ms_per_send']:.2f} ms "
          f"(less sensitive to other load than sends/s); beside each worker send, PostgreSQL "
          f"{two['database_cpu_ms_per_send']:.2f} ms and the push service {two['push_service_cpu_ms_per_send']:.2f} ms "
          "(2 workers)")
    print(f"duplicates {duplicates}, missed {missed}, lost {lost} (all must be 0); "
          f"workers exited with {exits} on SIGTERM")
    results = {
        "occurrences": one["occurrences"] + two["occurrences"],
        "bare_sends": args.bare_sends,
        "rounds": args.rounds,
        "batch": args.batch,
        "cores": cores,
        "bare_sends_per_s": round(bare, 1),
        "send_only_sends_per_s": round(send_only, 1),
        "one_worker_sends_per_s": one["sends_per_s"],
        "two_workers_sends_per_s": two["sends_per_s"],
        "one_worker_to_bare": round(ratio, 3),
        "two_workers_speedup": round(speedup, 3),
        "one_worker_to_send_only": round(one["sends_per_s"] / send_only, 3),
        "bare_runs_sends_per_s": [round(rate, 1) for rate, _cpu in loops["bare"]],
        "one_worker_runs_sends_per_s": [phase["sends_per_s"] for phase in drains[1]],
        "two_workers_runs_sends_per_s": [phase["sends_per_s"] for phase in drains[2]],
        "bare_cpu_ms_per_send": round(bare_cpu, 3),
        "send_only_cpu_ms_per_send": round(send_only_cpu, 3),
        "one_worker_cpu_ms_per_send": one["worker_cpu_ms_per_send"],
        "two_workers_cpu_ms_per_send": two["worker_cpu_ms_per_send"],
        "one_worker_database_cpu_ms_per_send": one["database_cpu_ms_per_send"],
        "two_workers_database_cpu_ms_per_send": two["database_cpu_ms_per_send"],
        "push_service_cpu_ms_per_send": two["push_service_cpu_ms_per_send"],
        "one_worker_lateness_p50_s": lateness[1][0],
        "one_worker_lateness_p99_s": lateness[1][1],
        "two_workers_lateness_p50_s": lateness[2][0],
        "two_workers_lateness_p99_s": lateness[2][1],
        "duplicates": duplicates,
        "missed": missed,
        "lost": lost,
        "not_sent": one["not_sent"] + two["not_sent"],
        "worker_exit_codes": exits,
    }
    print(json.dumps(results))
    return 0 if duplicates == missed == lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
