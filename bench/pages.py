"""Page speed: Knipa's main pages against a bare Django view, on SQLite and on PostgreSQL.

What it measures. For each database, in one run: Knipa served by its production server
(`knipa serve --no-prepare --no-worker`, Waitress, 8 threads, DEBUG off, a fresh data directory)
and, beside it, a bare Django "hello" view (bench/hello_app.py: no middleware, no apps, no
database) served by the same Waitress with the same thread count. A synthetic person with months
of history (about 20 weeks of rounds that follow the plan, stored through the same services the
app uses; check-ins every four weeks, leaks, six days of bladder diary, reminder times with a
browser and two weeks of sent reminders) logs in through the login form, and `--clients`
keep-alive connections (default 8) read one page at a time for `--seconds` each:

    /home/  /train/  /plan/  /history/  /progress/  /reminders/  /account/data/summary/

Printed per database and page: requests per second, the ratio to the bare view, p50 and p99
latency, and the server's CPU time per request (from /proc: the Waitress process, and on
PostgreSQL its server processes too), which other load on the machine disturbs far less than
requests per second. Then saving a round (POST /api/rounds with a fresh id, as the player sends
it, CSRF header and all) by `--save-clients` connections, alone and while `--clients`
connections read all the pages in turn: requests per second and p99. The savers are other people
with the same history (copies of the reader's), so the pages read always show the same person.

Every request says `Accept-Encoding: gzip, deflate, br`, as every browser does (the bare view's
answer is too short to compress; Knipa's pages are kept compressed, see knipa/accounts/pagecache.py).

Every response must be 200 (201 for a saved round). Anything else, and any timeout or
connection error, is counted, printed per phase and in a banner at the end; the JSON says
"errors" and the exit status is 1. Figures from a run with errors are not figures.

The goal: every main page at least 0.5 of the bare view's requests per second, on both
databases. Today's pages are at about 0.01-0.04 of it; at the very least they should get ten
times better than that.

How to read it on this machine. It has 2 CPU cores, shared by the server, the load generator
(wrk, which needs little), PostgreSQL and whatever else runs, and its speed drifts by a fifth
over minutes. So: compare the ratios, not the requests per second of another run; the bare view
is measured before every page and the ratio uses the mean of all its phases in that database's
run (its spread is printed, so drift shows). The server is CPU-bound and the GIL lets one thread
run Python at a time, so 8 clients measure throughput; p50 is roughly clients / rate. CPU ms per
request says what a page costs whatever else the machine was doing. On PostgreSQL part of the
cost moves into its server processes, on the same two cores.

Load generator: `wrk` (installed with `apt-get install wrk` when missing and this runs as root),
with a generated Lua script that sends the session cookies, checks every status and reports
latency quantiles; without wrk, a threaded keep-alive client in Python (http.client), which on 2
cores takes CPU from the server and caps the bare view well below wrk: its ratios are then too
kind to Knipa, and the output says so.

Usage: .venv/bin/python bench/pages.py [--quick] [--database sqlite|postgresql|both] [--clients 8]
                                       [--seconds N] [--rounds 1] [--save-clients 2] [--weeks 20]
                                       [--keep-db] [--client wrk|python]
PostgreSQL: a database of its own on 127.0.0.1:5432 as postgres (createdb, dropped at the end).
A default run (5 s per phase, both databases) takes about five minutes; --quick (2 s per phase)
about two, too short for the figures to be more than a smoke test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from http import cookies
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}
PAGES = {
    "home": "/home/",
    "train": "/train/",
    "plan": "/plan/",
    "history": "/history/",
    "progress": "/progress/",
    "reminders": "/reminders/",
    "summary": "/account/data/summary/",
}
BARE_PATH = "/hello/"
GOAL_RATIO = 0.5
# Latency quantiles each phase reports (percent); phases of the same kind are merged from these.
QUANTILES = [*range(1, 100), 99.1, 99.2, 99.3, 99.4, 99.5, 99.6, 99.7, 99.8, 99.9, 100]
START_TIMEOUT_S = 60
REQUEST_TIMEOUT_S = 30  # a slower response counts as an error, not as a latency


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Measure Knipa's main pages against a bare Django view.")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--clients", type=int, default=8, help="concurrent keep-alive connections (default: 8)")
    parser.add_argument("--seconds", type=float, default=5, help="length of each phase (default: 5)")
    parser.add_argument("--rounds", type=int, default=1, help="how many times the phases take turns (default: 1)")
    parser.add_argument("--save-clients", type=int, default=2, help="connections saving rounds (default: 2)")
    parser.add_argument("--savers", type=int, default=4, help="people whose rounds are saved, in turn (default: 4)")
    parser.add_argument("--weeks", type=int, default=20, help="weeks of history of the person (default: 20)")
    parser.add_argument("--threads", type=int, default=8, help="Waitress threads of both servers (default: 8)")
    parser.add_argument("--client", choices=["wrk", "python"], default=None,
                        help="load generator (default: wrk if it can be had, else python)")
    parser.add_argument("--quick", action="store_true", help="2 s phases: a smoke test")
    parser.add_argument("--keep-db", action="store_true", help="keep the PostgreSQL database and the data directories")
    # Internal: the child process that writes the synthetic people into the configured database.
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds = 2
    if args.clients < 1 or args.save_clients < 1 or args.savers < 1 or args.seconds <= 0 or args.rounds < 1:
        parser.error("--clients, --save-clients, --savers, --rounds must be at least 1 and --seconds positive")
    return args


# --- The synthetic people (run in a child process with DJANGO_SETTINGS_MODULE=knipa.settings) ----

def seed(weeks: int, savers: int) -> dict:
    """Write the reader with `weeks` of history, and the savers as copies of the reader.

    The reader's rounds go through tests/training/plan_seeding.follow_the_plan: each round stored
    as the API stores it and the plan reviewed by knipa.training.plans, as in the app. The rest is
    written with the models, as the pages' forms write it."""
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from knipa.outcomes.models import CheckIn, DiaryEntry, Leak
    from knipa.program.outcomes import Improvement, LeakAmount, LeakFrequency
    from knipa.reminders import planning
    from knipa.reminders.models import Occurrence, PushSubscription
    from knipa.training.models import ExerciseRecord, Plan, PlanChange, TrainingRound
    from tests.conftest import PASSWORD, make_person
    from tests.training.plan_seeding import follow_the_plan

    now = timezone.now()
    reader = make_person("bench-reader", goals=["urinary_leakage", "prevent"])
    follow_the_plan(reader, weeks)
    start = now - timedelta(weeks=weeks)

    # Check-ins every four weeks, getting better (PGI-I from the second on).
    frequencies, amounts = list(LeakFrequency)[::-1], list(LeakAmount)[::-1]
    check_ins = []
    for number in range(weeks // 4 + 1):
        check_ins.append(CheckIn(
            profile=reader, at=start + timedelta(weeks=4 * number, hours=9),
            frequency=frequencies[min(number, len(frequencies) - 1)],
            amount=amounts[min(number, len(amounts) - 1)], bother=max(0, 8 - 2 * number),
            confidence=min(10, 3 + 2 * number), avoids_activity=number < 2,
            improvement=(Improvement.MUCH_BETTER if number > 2 else Improvement.A_LITTLE_BETTER) if number else None))
    CheckIn.objects.bulk_create(check_ins)
    # Leaks: a few a week at first, fewer later.
    situations = [choice for choice, _label in Leak.Situation.choices]
    leaks = [Leak(profile=reader, at=start + timedelta(days=day, hours=10 + day % 9),
                  situation=situations[day % len(situations)], amount=Leak.Amount.DROPS)
             for day in range(weeks * 7) if day % (2 + day // 30) == 0]
    Leak.objects.bulk_create(leaks)
    # Bladder diary: three days at the start and three days last week, 15 entries a day.
    diary = []
    for first in (start, now - timedelta(days=7)):
        for day in range(3):
            morning = first.replace(hour=6, minute=0) + timedelta(days=day)
            for hour in range(0, 15):
                kind = ["drink", "void", "drink", "void", "pad"][hour % 5] if hour != 7 else "leak"
                diary.append(DiaryEntry(profile=reader, at=morning + timedelta(hours=hour), kind=kind,
                                        drink="water" if kind == "drink" else "",
                                        volume_ml=250 if kind in ("drink", "void") else None,
                                        urgency=1 if kind == "void" else None))
    DiaryEntry.objects.bulk_create(diary)
    # Reminders: three times a day by push to one browser, two weeks of sent reminders behind,
    # the next 36 hours planned by the same step the worker runs.
    reminder_settings = planning.settings_for(reader)
    reminder_settings.times, reminder_settings.weekdays, reminder_settings.by_push = (
        ["08:00", "13:00", "19:00"], list(range(7)), True)
    reminder_settings.save()
    PushSubscription.objects.create(profile=reader, endpoint=f"https://fcm.googleapis.com/fcm/send/bench-{reader.pk}",
                                    p256dh="B" * 87, auth="A" * 22, label="Firefox on Android")
    sent = []
    for day in range(1, 15):
        for slot, hour in enumerate((8, 13, 19)):
            due = (now - timedelta(days=day)).replace(hour=hour, minute=0, second=0, microsecond=0)
            sent.append(Occurrence(profile=reader, slot=slot, due_at=due, next_attempt_at=due, status="sent",
                                   attempts=1, sent_at=due, deliveries=[{
                                       "channel": "push", "target": "Firefox on Android", "result": "delivered",
                                       "error": "", "at": due.isoformat()}]))
    Occurrence.objects.bulk_create(sent)
    planning.plan_person(planning.settings_for(reader), now)

    # The savers: copies of the reader's answers, plan and rounds, so that saving a round costs
    # what it costs this person, without changing the history the pages show.
    saver_names = []
    for number in range(savers):
        user = get_user_model().objects.create_user(username=f"bench-saver-{number}", password=PASSWORD)
        saver = type(reader).objects.get(pk=reader.pk)
        saver.pk, saver.id, saver.user = None, None, user
        saver.save()
        plan = Plan.objects.get(profile=reader)
        plan.pk, plan.id, plan.profile = None, None, saver
        plan.save()
        changes = list(PlanChange.objects.filter(profile=reader))
        for change in changes:
            change.pk, change.id, change.profile = None, None, saver
        PlanChange.objects.bulk_create(changes)
        rounds = list(TrainingRound.objects.filter(profile=reader).prefetch_related("exercises"))
        records = []
        for training_round in rounds:
            exercises = list(training_round.exercises.all())
            training_round.id, training_round.profile = uuid4(), saver
            for record in exercises:
                record.pk, record.id, record.training_round = None, None, training_round
                records.append(record)
        TrainingRound.objects.bulk_create(rounds)
        ExerciseRecord.objects.bulk_create(records)
        saver_names.append(user.username)

    payload = round_payload(reader, now)
    counts = {"rounds": TrainingRound.objects.filter(profile=reader).count(),
              "exercise_records": ExerciseRecord.objects.filter(training_round__profile=reader).count(),
              "plan_changes": PlanChange.objects.filter(profile=reader).count(),
              "check_ins": len(check_ins), "leaks": len(leaks), "diary_entries": len(diary),
              "reminders": Occurrence.objects.filter(profile=reader).count(),
              "stage": Plan.objects.get(profile=reader).stage}
    connection.close()
    return {"reader": reader.user.username, "savers": saver_names, "password": PASSWORD, "round": payload,
            "counts": counts}


def uuid4() -> object:
    import uuid

    return uuid.uuid4()


def round_payload(profile, now) -> dict:
    """A round as the player sends it: the person's current round, done as planned two hours ago.
    Its id is "@ID@", replaced by a fresh uuid in every request."""
    from datetime import timedelta

    from knipa.program.exercises import ExerciseKind
    from knipa.program.plan import round_exercises
    from knipa.training import plans

    state = plans.refresh(profile)
    exercises = round_exercises(state)
    started = now - timedelta(hours=2)
    return {
        "id": "@ID@", "stage": state.current_stage.value, "position": exercises[0].positions[0].value,
        "status": "finished", "effort": "right", "started_at": started.isoformat(),
        "ended_at": (started + timedelta(minutes=6)).isoformat(),
        "exercises": [{
            "exercise": e.spec_id, "planned_reps": e.reps, "achieved_reps": e.reps,
            "planned_squeeze_seconds": e.squeeze_seconds, "planned_rest_seconds": e.rest_seconds,
            "held_seconds": (e.target_seconds or e.squeeze_seconds) if e.open_ended else None,
            "full_strength_reps": e.reps if e.kind is ExerciseKind.STRENGTH else None,
            "felt_lift": "yes" if e.kind is ExerciseKind.STRENGTH else "",
            "felt_clearly": "yes" if e.kind is ExerciseKind.FIND else "",
        } for e in exercises],
    }


# --- Processes --------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop_process(process: subprocess.Popen, timeout: float = 10) -> int | None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def start_server(command: list[str], env: dict, ready: str, log: Path, stack: ExitStack) -> subprocess.Popen:
    """Start a server; return once it printed its ready line (stderr goes to the log)."""
    log_file = open(log, "w")  # noqa: SIM115 - closed by the stack
    stack.callback(log_file.close)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log_file, text=True)
    stack.callback(stop_process, process)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if ready in line:
            # Waitress prints nothing once listening; the socket accepts right after serve() binds.
            threading.Thread(target=process.stdout.read, daemon=True).start()  # keep the pipe drained
            return process
        if not line and process.poll() is not None:
            break
    sys.exit(f"a server did not start: {' '.join(command)} (see {log})")


def wait_listening(port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"nothing listens on port {port}")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a live process has used (Linux /proc; 0 if it cannot be read)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_backends(database: str | None) -> list[int]:
    """PostgreSQL server processes connected to the benchmark's database (none for SQLite)."""
    if database is None:
        return []
    result = subprocess.run(["psql", "-h", PG["host"], "-p", PG["port"], "-U", PG["user"], "-d", database, "-Atc",
                             "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                             " AND pid <> pg_backend_pid()"], capture_output=True, text=True, check=False)
    return [int(line) for line in result.stdout.split()]


# --- HTTP: logging in, checking pages -----------------------------------------------------------

def request(port: int, method: str, path: str, jar: dict[str, str], body: str | bytes | None = None,
            headers: dict | None = None) -> tuple[int, bytes, dict]:
    """One request on a fresh connection; cookies the server sets go into `jar`."""
    connection = HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
    all_headers = {"Cookie": cookie_header(jar), **(headers or {})}
    connection.request(method, path, body=body, headers=all_headers)
    response = connection.getresponse()
    content = response.read()
    for header in response.msg.get_all("Set-Cookie") or []:
        parsed = cookies.SimpleCookie(header)
        jar.update({name: morsel.value for name, morsel in parsed.items()})
    connection.close()
    return response.status, content, dict(response.getheaders())


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def log_in(port: int, username: str, password: str) -> dict[str, str]:
    """Log in through the login form, as a browser does; returns the browser's cookies."""
    jar: dict[str, str] = {}
    status, content, _headers = request(port, "GET", "/login/", jar)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    if status != 200 or token is None:
        sys.exit(f"GET /login/ answered {status} without a CSRF token")
    form = urlencode({"csrfmiddlewaretoken": token.group(1).decode(), "username": username, "password": password})
    status, _content, headers = request(port, "POST", "/login/", jar, form,
                                        {"Content-Type": "application/x-www-form-urlencoded"})
    if status != 302 or "knipa_session" not in jar:
        sys.exit(f"logging in as {username} answered {status} (to {headers.get('Location')}), no session")
    return jar


# --- Load -------------------------------------------------------------------------------------

LUA = r"""
-- Generated by bench/pages.py: requests in turn over paths and sessions, statuses checked.
local paths = {%(paths)s}
local sessions = {%(sessions)s}
local method, expect, body = %(method)s, %(expect)d, %(body)s
local quantiles = {%(quantiles)s}
local threads = {}
local hex = "0123456789abcdef"

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  counter, bad, first_bad = tid, 0, 0
  math.randomseed(os.time() * 100 + tid)
end

local function uuid4()
  local t = {}
  for i = 1, 32 do
    local k = math.random(1, 16)
    t[i] = hex:sub(k, k)
  end
  t[13] = "4"  -- version 4, and the RFC 4122 variant in the 17th digit
  local variants = "89ab"
  local v = math.random(1, 4)
  t[17] = variants:sub(v, v)
  local s = table.concat(t)
  return s:sub(1, 8) .. "-" .. s:sub(9, 12) .. "-" .. s:sub(13, 16) .. "-" .. s:sub(17, 20) .. "-" .. s:sub(21, 32)
end

function request()
  counter = counter + 1
  local session = sessions[counter %% #sessions + 1]
  local path = paths[counter %% #paths + 1]
  local headers = {["Cookie"] = session[1], ["Accept-Encoding"] = "gzip, deflate, br"}
  if method == "POST" then
    headers["X-CSRFToken"] = session[2]
    headers["Content-Type"] = "application/json"
    return wrk.format("POST", path, headers, (body:gsub("@ID@", uuid4())))
  end
  return wrk.format("GET", path, headers)
end

function response(status, headers, content)
  if status ~= expect then
    bad = bad + 1
    if first_bad == 0 then first_bad = status end
  end
end

function done(summary, latency, requests)
  local bad_total, first = 0, 0
  for _, thread in ipairs(threads) do
    bad_total = bad_total + thread:get("bad")
    if first == 0 then first = thread:get("first_bad") end
  end
  local q = {}
  -- percentile(100) answers 0 in wrk 4.1: the maximum is latency.max.
  for i, p in ipairs(quantiles) do q[i] = string.format("%%d", p >= 100 and latency.max or latency:percentile(p)) end
  local e = summary.errors
  io.write(string.format('KNIPA {"requests": %%d, "duration_us": %%d, "bad": %%d, "first_bad": %%d, ' ..
    '"socket_errors": %%d, "timeouts": %%d, "quantiles_us": [%%s]}\n', summary.requests, summary.duration,
    bad_total, first, e.connect + e.read + e.write, e.timeout, table.concat(q, ", ")))
end
"""


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class Load:
    """Runs one phase of load against a server: wrk with a generated script, or Python threads."""

    def __init__(self, kind: str, workdir: Path):
        self.kind, self.workdir = kind, workdir

    def run(self, port: int, paths: list[str], sessions: list[tuple[str, str]], clients: int, seconds: float,
            method: str = "GET", body: str | None = None, expect: int = 200) -> dict:
        if self.kind == "wrk":
            return self._wrk(port, paths, sessions, clients, seconds, method, body, expect)
        return python_load(port, paths, sessions, clients, seconds, method, body, expect)

    def start(self, *args, **kwargs) -> tuple[threading.Thread, dict]:
        """The same as run(), in a thread: for two loads at once."""
        result: dict = {}
        thread = threading.Thread(target=lambda: result.update(self.run(*args, **kwargs)))
        thread.start()
        return thread, result

    def _wrk(self, port, paths, sessions, clients, seconds, method, body, expect) -> dict:
        script = self.workdir / f"load-{time.monotonic_ns()}.lua"
        script.write_text(LUA % {
            "paths": ", ".join(lua_string(path) for path in paths),
            "sessions": ", ".join(f"{{{lua_string(cookie)}, {lua_string(csrf)}}}" for cookie, csrf in sessions),
            "method": lua_string(method), "expect": expect, "body": lua_string(body or ""),
            "quantiles": ", ".join(str(q) for q in QUANTILES)})
        # Two wrk threads: one per core is plenty for it (it spends microseconds per request),
        # and more would only take CPU from the server.
        command = ["wrk", "-t", str(min(2, clients)), "-c", str(clients), "-d", f"{seconds}s",
                   "--timeout", f"{REQUEST_TIMEOUT_S}s", "-s", str(script), f"http://127.0.0.1:{port}{paths[0]}"]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        line = next((line for line in done.stdout.splitlines() if line.startswith("KNIPA ")), None)
        if line is None:
            sys.exit(f"wrk failed ({done.returncode}): {done.stdout}{done.stderr}")
        figures = json.loads(line[len("KNIPA "):])
        return {"requests": figures["requests"], "seconds": figures["duration_us"] / 1e6,
                "errors": figures["bad"] + figures["socket_errors"] + figures["timeouts"],
                "first_bad_status": figures["first_bad"], "timeouts": figures["timeouts"],
                "quantiles_ms": [value / 1000 for value in figures["quantiles_us"]]}


def python_load(port, paths, sessions, clients, seconds, method, body, expect) -> dict:
    """The fallback load generator: keep-alive connections in threads, each request timed."""
    import uuid

    latencies: list[float] = []
    bad, first_bad, socket_errors = [0], [0], [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(number: int) -> None:
        connection = HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
        mine, count = [], number
        while time.perf_counter() < deadline:
            count += 1
            cookie, csrf = sessions[count % len(sessions)]
            headers = {"Cookie": cookie, "Accept-Encoding": "gzip, deflate, br"}
            payload = None
            if method == "POST":
                headers.update({"X-CSRFToken": csrf, "Content-Type": "application/json"})
                payload = body.replace("@ID@", str(uuid.uuid4()))
            started = time.perf_counter()
            try:
                connection.request(method, paths[count % len(paths)], body=payload, headers=headers)
                response = connection.getresponse()
                response.read()
            except OSError:
                with lock:
                    socket_errors[0] += 1
                connection.close()
                connection = HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
                continue
            mine.append(time.perf_counter() - started)
            if response.status != expect:
                with lock:
                    bad[0] += 1
                    first_bad[0] = first_bad[0] or response.status
        connection.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    quantiles = [latencies[min(len(latencies) - 1, int(len(latencies) * q / 100))] * 1000 if latencies else 0.0
                 for q in QUANTILES]
    return {"requests": len(latencies), "seconds": elapsed, "errors": bad[0] + socket_errors[0],
            "first_bad_status": first_bad[0], "timeouts": 0, "quantiles_ms": quantiles}


def merged_quantile(phases: list[dict], percent: float) -> float:
    """A latency quantile of several phases together, from each phase's quantiles.

    Each phase's distribution is read as a step function through its quantiles; the mixture is
    weighted by the phases' requests. Exact for one phase; within a quantile step otherwise."""
    phases = [phase for phase in phases if phase["requests"]]
    if not phases:
        return 0.0
    total = sum(phase["requests"] for phase in phases)

    def share_at_most(value: float) -> float:
        share = 0.0
        for phase in phases:
            below = max((q for q, v in zip(QUANTILES, phase["quantiles_ms"], strict=True) if v <= value), default=0)
            share += phase["requests"] * below / 100
        return share / total

    for value in sorted({v for phase in phases for v in phase["quantiles_ms"]}):
        if share_at_most(value) >= percent / 100 - 1e-9:
            return value
    return max(phase["quantiles_ms"][-1] for phase in phases)


def summarise(phases: list[dict]) -> dict:
    requests = sum(phase["requests"] for phase in phases)
    seconds = sum(phase["seconds"] for phase in phases)
    figures = {"rps": round(requests / seconds, 1) if seconds else 0.0,
               "p50_ms": round(merged_quantile(phases, 50), 1), "p99_ms": round(merged_quantile(phases, 99), 1),
               "requests": requests, "errors": sum(phase["errors"] for phase in phases)}
    cpu = sum(phase.get("server_cpu_s", 0) for phase in phases)
    if requests and cpu:
        figures["server_cpu_ms"] = round(cpu / requests * 1000, 2)
    database_cpu = sum(phase.get("database_cpu_s", 0) for phase in phases)
    if requests and database_cpu:
        figures["database_cpu_ms"] = round(database_cpu / requests * 1000, 2)
    return figures


# --- One database -------------------------------------------------------------------------------

class Measure:
    """Phases against one Knipa server and its bare neighbour, with CPU time per phase."""

    def __init__(self, load: Load, knipa: subprocess.Popen, knipa_port: int, bare: subprocess.Popen,
                 bare_port: int, database: str | None, args):
        self.load, self.knipa, self.knipa_port = load, knipa, knipa_port
        self.bare, self.bare_port, self.database, self.args = bare, bare_port, database, args
        self.phases: dict[str, list[dict]] = {}

    def _cpu(self, server: subprocess.Popen) -> tuple[float, dict[int, float]]:
        backends = database_backends(self.database) if server is self.knipa else []
        return cpu_seconds(server.pid), {pid: cpu_seconds(pid) for pid in backends}

    def phase(self, name: str, server: subprocess.Popen, port: int, paths: list[str], sessions, clients: int,
              quiet: bool = False, **load_options) -> dict:
        before, backends_before = self._cpu(server)
        figures = self.load.run(port, paths, sessions, clients, self.args.seconds, **load_options)
        after, backends_after = self._cpu(server)
        figures["server_cpu_s"] = after - before
        figures["database_cpu_s"] = sum(cpu - backends_before.get(pid, 0.0) for pid, cpu in backends_after.items())
        self.phases.setdefault(name, []).append(figures)
        if not quiet:
            report(name, figures)
        return figures

    def bare_phase(self) -> None:
        self.phase("bare", self.bare, self.bare_port, [BARE_PATH], [("", "")], self.args.clients)


def report(name: str, figures: dict) -> None:
    rate = figures["requests"] / figures["seconds"] if figures["seconds"] else 0.0
    p50, p99 = merged_quantile([figures], 50), merged_quantile([figures], 99)
    cpu = figures.get("server_cpu_s", 0) / figures["requests"] * 1000 if figures["requests"] else 0.0
    database = figures.get("database_cpu_s", 0) / figures["requests"] * 1000 if figures["requests"] else 0.0
    errors = f", {figures['errors']} ERRORS (first status {figures['first_bad_status']})" if figures["errors"] else ""
    db_note = f" + {database:.2f} ms database" if database else ""
    print(f"  {name:<22} {rate:8.1f} req/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  "
          f"server CPU {cpu:6.2f} ms/req{db_note}{errors}", flush=True)


def run_database(kind: str, args, load: Load, workdir: Path) -> dict:
    """Everything for one database: prepare, seed, serve, log in, measure in turns."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"knipa-pages-{kind}-", dir=workdir))
    env = {**os.environ, "KNIPA_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "knipa.settings",
           "KNIPA_DEBUG": "false", "KNIPA_SERVE_WORKER": "false", "KNIPA_LOG_LEVEL": "WARNING",
           "KNIPA_ALLOWED_HOSTS": "127.0.0.1,localhost", "PYTHONPATH": str(ROOT)}
    env.pop("KNIPA_DATABASE_URL", None)
    database = None
    pg_args = ["-h", PG["host"], "-p", PG["port"], "-U", PG["user"]]
    if kind == "postgresql":
        database = f"knipa_pages_{os.getpid()}_{int(time.time())}"
        env["KNIPA_DATABASE_URL"] = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{database}"
        subprocess.run(["createdb", *pg_args, database], check=True)
    try:
        with ExitStack() as stack:
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "knipa.cli", "prepare"], cwd=ROOT, env=env, check=True,
                           stdout=subprocess.DEVNULL)
            seeded = subprocess.run([sys.executable, __file__, "--seed", "--weeks", str(args.weeks),
                                     "--savers", str(args.savers)], cwd=ROOT, env=env, check=True,
                                    capture_output=True, text=True)
            people = json.loads(seeded.stdout.strip().splitlines()[-1])
            knipa_port, bare_port = free_port(), free_port()
            knipa = start_server([sys.executable, "-m", "knipa.cli", "serve", "--no-prepare", "--no-worker",
                                  "--port", str(knipa_port), "--threads", str(args.threads)],
                                 env, "ready", data_dir / "knipa.log", stack)
            bare = start_server([sys.executable, str(ROOT / "bench" / "hello_app.py"), "--port", str(bare_port),
                                 "--threads", str(args.threads)], env, "ready", data_dir / "hello.log", stack)
            wait_listening(knipa_port)
            wait_listening(bare_port)

            reader = log_in(knipa_port, people["reader"], people["password"])
            savers = [log_in(knipa_port, name, people["password"]) for name in people["savers"]]
            reader_session = [(cookie_header(reader), reader["knipa_csrftoken"])]
            saver_sessions = [(cookie_header(jar), jar["knipa_csrftoken"]) for jar in savers]
            body = json.dumps(people["round"])
            sizes = check_pages(knipa_port, reader, savers[0], body)
            print(f"{kind}: {people['counts']}; ready in {time.perf_counter() - started:.1f} s; page sizes (bytes): "
                  f"{sizes}", flush=True)

            measure = Measure(load, knipa, knipa_port, bare, bare_port, database, args)
            for turn in range(args.rounds):
                for page, path in PAGES.items():
                    # The bare view before every page: drift over the run reaches both alike.
                    measure.bare_phase()
                    measure.phase(page, knipa, knipa_port, [path], reader_session, args.clients)
                measure.bare_phase()
                measure.phase("save_round_alone", knipa, knipa_port, ["/api/rounds"], saver_sessions,
                              args.save_clients, method="POST", body=body, expect=201)
                # Saving while the pages are read: both loads at once against the same server.
                reading, read_figures = load.start(knipa_port, list(PAGES.values()), reader_session, args.clients,
                                                   args.seconds)
                under = measure.phase("save_round_under_reads", knipa, knipa_port, ["/api/rounds"], saver_sessions,
                                      args.save_clients, method="POST", body=body, expect=201, quiet=True)
                reading.join()
                # The server's CPU in this phase went to reads and saves alike: shared per request.
                both = under["requests"] + read_figures["requests"]
                cpu, database_cpu = under["server_cpu_s"], under["database_cpu_s"]
                for figures in (under, read_figures):
                    figures["server_cpu_s"] = cpu * figures["requests"] / both if both else 0.0
                    figures["database_cpu_s"] = database_cpu * figures["requests"] / both if both else 0.0
                report("save_round_under_reads", under)
                measure.phases.setdefault("reads_during_saves", []).append(read_figures)
                report("(reads during saves)", read_figures)
            measure.bare_phase()
            if knipa.poll() is not None:
                sys.exit(f"the Knipa server stopped (see {data_dir / 'knipa.log'})")
            return results_for(measure, people["counts"], sizes)
    finally:
        if not args.keep_db:
            shutil.rmtree(data_dir, ignore_errors=True)
            if database:
                subprocess.run(["dropdb", *pg_args, "--if-exists", "--force", database], check=False)


def check_pages(port: int, reader: dict, saver: dict, body: str) -> dict[str, int]:
    """Every page answers 200 to the reader before it is measured (and warms the server up), and a
    round can be saved; returns each page's size in bytes."""
    sizes = {}
    for page, path in PAGES.items():
        for _ in range(3):
            status, content, headers = request(port, "GET", path, dict(reader))
            if status != 200:
                sys.exit(f"{path} answered {status} (to {headers.get('Location')}) before the measurement")
        sizes[page] = len(content)
    status, content, _headers = request(port, "POST", "/api/rounds", dict(saver),
                                        body.replace("@ID@", str(uuid4())),
                                        {"X-CSRFToken": saver["knipa_csrftoken"], "Content-Type": "application/json"})
    if status != 201:
        sys.exit(f"saving a round answered {status}: {content[:500]!r}")
    return sizes


def results_for(measure: Measure, counts: dict, sizes: dict) -> dict:
    bare_runs = [phase["requests"] / phase["seconds"] for phase in measure.phases["bare"]]
    bare = summarise(measure.phases["bare"])
    results: dict = {}
    for page in PAGES:
        figures = summarise(measure.phases[page])
        results[page] = {"rps": figures["rps"], "ratio": round(figures["rps"] / bare["rps"], 4),
                         **{key: value for key, value in figures.items() if key != "rps"}, "bytes": sizes[page]}
    results["bare_rps"] = bare["rps"]
    results["bare_runs_rps"] = [round(rate, 1) for rate in bare_runs]
    results["bare_p50_ms"], results["bare_p99_ms"] = bare["p50_ms"], bare["p99_ms"]
    results["bare_server_cpu_ms"] = bare.get("server_cpu_ms")
    alone = summarise(measure.phases["save_round_alone"])
    under = summarise(measure.phases["save_round_under_reads"])
    results["save_round"] = {"alone": alone, "under_reads": under,
                             "reads_during": summarise(measure.phases["reads_during_saves"]),
                             "rps_ratio": round(under["rps"] / alone["rps"], 3) if alone["rps"] else 0.0,
                             "p99_ratio": round(under["p99_ms"] / alone["p99_ms"], 2) if alone["p99_ms"] else 0.0}
    results["min_ratio"] = min(results[page]["ratio"] for page in PAGES)
    results["errors"] = sum(phase["errors"] for phases in measure.phases.values() for phase in phases)
    results["seeded"] = counts
    return results


def print_table(kind: str, results: dict) -> None:
    runs = results["bare_runs_rps"]
    print(f"\n{kind}: bare view {results['bare_rps']:.0f} req/s (runs {min(runs):.0f}-{max(runs):.0f}), "
          f"p50 {results['bare_p50_ms']} ms, p99 {results['bare_p99_ms']} ms, "
          f"server CPU {results['bare_server_cpu_ms']} ms/req")
    print(f"  {'page':<10} {'req/s':>8} {'ratio':>7} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>11} {'errors':>7}")
    for page in PAGES:
        row = results[page]
        cpu = f"{row.get('server_cpu_ms', 0):.1f}" + (f"+{row['database_cpu_ms']:.1f}" if "database_cpu_ms" in row else "")
        print(f"  {page:<10} {row['rps']:8.1f} {row['ratio']:7.3f} {row['p50_ms']:8.1f} {row['p99_ms']:8.1f} "
              f"{cpu:>11} {row['errors']:7d}")
    save = results["save_round"]
    print(f"  saving a round: alone {save['alone']['rps']:.1f} req/s p99 {save['alone']['p99_ms']} ms; "
          f"while pages are read {save['under_reads']['rps']:.1f} req/s p99 {save['under_reads']['p99_ms']} ms "
          f"(req/s x{save['rps_ratio']}, p99 x{save['p99_ratio']}; reads meanwhile "
          f"{save['reads_during']['rps']:.1f} req/s)")


def choose_load_generator(wanted: str | None) -> str:
    if wanted == "python":
        return "python"
    if shutil.which("wrk") is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: installing it with apt-get ...", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if shutil.which("wrk"):
        return "wrk"
    if wanted == "wrk":
        sys.exit("wrk is not installed and could not be installed")
    print("WARNING: no wrk; the Python load generator shares the 2 cores with the server and caps the bare "
          "view, so the ratios below are kinder to Knipa than wrk's would be.", flush=True)
    return "python"


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.seed:
        print(json.dumps(seed(args.weeks, args.savers), default=str))
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    load_kind = choose_load_generator(args.client)
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    workdir = Path(tempfile.mkdtemp(prefix="knipa-pages-"))
    print(f"Knipa page speed: {', '.join(kinds)}; {args.clients} clients, {args.seconds:g} s a phase, "
          f"{args.rounds} round(s), {args.threads} server threads, load by {load_kind}, "
          f"{os.cpu_count()} CPU cores", flush=True)
    results: dict = {}
    try:
        load = Load(load_kind, workdir)
        for kind in kinds:
            results[kind] = run_database(kind, args, load, workdir)
    finally:
        if not args.keep_db:
            shutil.rmtree(workdir, ignore_errors=True)

    for kind in kinds:
        print_table(kind, results[kind])
    errors = sum(results[kind]["errors"] for kind in kinds)
    met = errors == 0 and all(results[kind]["min_ratio"] >= GOAL_RATIO for kind in kinds)
    lowest = ", ".join(f"{kind} {results[kind]['min_ratio']:.3f}" for kind in kinds)
    print(f"\ngoal: every page at least {GOAL_RATIO} of the bare view on every database: {'met' if met else 'NOT met'}"
          f" (lowest: {lowest})")
    if errors:
        print(f"\n{'!' * 72}\n!!! {errors} REQUESTS FAILED (not 200/201, timed out or cut off): these figures are "
              f"not valid\n{'!' * 72}")
    summary = {**results, "goal_ratio": GOAL_RATIO, "met": met, "errors": errors, "clients": args.clients,
               "seconds": args.seconds, "rounds": args.rounds, "threads": args.threads, "load_generator": load_kind,
               "cores": os.cpu_count()}
    print(json.dumps(summary))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
