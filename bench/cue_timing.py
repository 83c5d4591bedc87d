"""Cue timing of the session player, in real time, idle and with both CPU cores busy.

Starts its own Knipa (`python -m knipa serve` on a free port, with a temporary KNIPA_DATA_DIR),
makes a person through the web pages (Start, the four onboarding steps), opens /train/ in
headless system Chromium and lets the page play a round built here from knipa.program (strength
and speed exercises, as in a training round, filled up to the chosen length) through
`window.knipaPlayer.playTimeline`, in real time, with sound on. The round is played twice: with
the machine idle, then with one busy-loop process per CPU core (2 on the project's machines).

Printed for each run, in ms: p50, p99 and max of cue lateness (fired - due, as the page logs it
for every cue) and the drift at the end (the last cue's fired - due: with one origin for every cue
this stays as small as any other cue's lateness, however long the round). The last line is one
JSON object with every figure, for scripts.

Chromium flags: the machine has no network, so Chromium's background networking is turned off
(as in the browser tests). For the timing runs also --autoplay-policy=no-user-gesture-required
(sound starts without a real tap), and --disable-background-timer-throttling and
--disable-renderer-backgrounding: a headless page counts as visible, so these should change
nothing, but they make sure a run measures the scheduler and not how the headless shell happens
to prioritise its renderer. `--plain-browser` leaves those two out, to check that claim; the
player does not depend on them (a real person's browser has none of them).

Usage: .venv/bin/python bench/cue_timing.py [--minutes 10] [--plain-browser]
A full run (two 10-minute rounds) takes about 21 minutes.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.chromium import CHROMIUM_ARGS, find_chromium as find_system_chromium  # noqa: E402

# The same Chromium and flags as the browser tests, and sound allowed without a click.
BASE_ARGS = [*CHROMIUM_ARGS, "--autoplay-policy=no-user-gesture-required"]
UNTHROTTLED_ARGS = ["--disable-background-timer-throttling", "--disable-renderer-backgrounding"]
SERVER_START_TIMEOUT_S = 90
# Every busy loop stops by itself this long after the round should have ended, whatever happens.
LOAD_GRACE_S = 120


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Measure how punctually the session player fires its cues, idle and under CPU load.",
    )
    parser.add_argument("--minutes", type=float, default=10.0, help="length of each round in minutes (default: 10)")
    parser.add_argument(
        "--plain-browser", action="store_true",
        help="launch Chromium without --disable-background-timer-throttling and --disable-renderer-backgrounding",
    )
    parser.add_argument("--only", choices=["idle", "loaded"], help="run only one of the two rounds")
    parser.add_argument("--chromium", default=os.environ.get("KNIPA_CHROMIUM", ""), help="the Chromium to drive")
    args = parser.parse_args(argv)
    if args.minutes <= 0 or args.minutes > 60:
        parser.error("--minutes must be more than 0 and at most 60")
    return args


def find_chromium(configured: str) -> str:
    if configured:
        os.environ["KNIPA_CHROMIUM"] = configured
    chromium, why_not = find_system_chromium()
    if chromium is None:
        sys.exit(why_not)
    return chromium


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def knipa_server(data_dir: Path):
    port = free_port()
    env = {**os.environ, "KNIPA_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    env.pop("KNIPA_DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = open(data_dir / "server.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "knipa", "serve", "--port", str(port), "--threads", "4"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped at once; see {data_dir / 'server.log'}")
            try:
                with urllib.request.urlopen(base + "/", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the server did not answer within 90 s") from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


@contextmanager
def busy_cores(count: int, seconds: float):
    """`count` processes that each keep one core busy, for at most `seconds`."""
    code = f"import time\nend = time.monotonic() + {seconds:.0f}\nwhile time.monotonic() < end:\n    pass\n"
    workers = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(count)]
    try:
        yield workers
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=5)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=5)


def build_round(minutes: float) -> dict:
    """A timeline dict as GET /api/timeline answers it, about `minutes` long."""
    import django

    django.setup()
    from django.utils import translation

    from knipa.program.exercises import SPEED, STRENGTH, Position
    from knipa.program.timeline import build_timeline
    from knipa.training.cues import cue_text

    target_ms = minutes * 60_000

    def planned(exercises) -> int:
        return build_timeline(exercises, Position.SITTING).planned_ms

    # Strength and speed in turn, like a training round, then one speed exercise filled up with
    # as many squeezes as still fit (4 s each).
    exercises = []
    while True:
        trial = exercises + [STRENGTH if len(exercises) % 2 == 0 else SPEED]
        if planned(trial) > target_ms:
            break
        exercises = trial
    filled = None
    reps = 1
    while True:
        trial = exercises + [SPEED.with_changes(reps=reps)]
        if planned(trial) > target_ms:
            break
        filled = trial
        reps += 1
    exercises = filled or exercises or [SPEED.with_changes(reps=1)]
    data = build_timeline(exercises, Position.SITTING).as_dict()
    with translation.override("sv"):
        for cue in data["cues"]:
            cue["text"] = cue_text(cue["text_key"])
    return data


def become_a_person(page, base: str) -> None:
    """Start without an account and answer the four onboarding steps, as a newcomer would."""
    page.goto(base + "/", wait_until="load")
    with page.expect_navigation():
        page.locator("main form[action='/begin/'] button[type=submit]").click()
    answers = [
        ["input[name=body][value=vagina]"],
        ["input[name=goals][value=prevent]"],
        ["input[name=pain][value=no]", "input[name=recent_event][value=none]", "input[name=pregnant][value=no]"],
        [],
    ]
    for step in answers:
        for selector in step:
            page.check(selector)
        with page.expect_navigation():
            page.locator("main form button.button--primary[type=submit]").click()
    if not page.url.endswith("/home/"):
        raise RuntimeError(f"onboarding ended on {page.url}")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def play_round(page, base: str, timeline: dict) -> dict:
    page.goto(base + "/train/", wait_until="load")
    page.locator("#settings-heading").click()  # a real click: the page may make sound
    page.evaluate("(timeline) => { window.knipaPlayer.playTimeline(timeline, {report: false, record: false}); }", timeline)
    seconds = timeline["planned_ms"] / 1000
    page.wait_for_function(
        "() => document.getElementById('player').dataset.state === 'finished'",
        polling=1000, timeout=(seconds + 60) * 1000,
    )
    log = page.evaluate("() => window.knipaPlayer.cueLog")
    skipped = page.evaluate("() => window.knipaPlayer.skippedLog")
    lateness = [entry["late_ms"] for entry in log]
    # How late the timer woke, against the moment asked for (the due time less the spin window).
    wake_early = page.evaluate("() => window.knipaPlayer.player.scheduler.wakeEarlyMs")
    timer_late = [entry["woke_ms"] - (entry["due_ms"] - wake_early) for entry in log]
    last = log[-1]
    return {
        "timer_p50_ms": round(statistics.median(timer_late), 3),
        "timer_p99_ms": round(percentile(timer_late, 0.99), 3),
        "wake_early_ms": wake_early,
        "cues": len(log),
        "skipped": len(skipped),
        "p50_ms": round(statistics.median(lateness), 3),
        "p99_ms": round(percentile(lateness, 0.99), 3),
        "max_ms": round(max(lateness), 3),
        "drift_ms": round(last["fired_ms"] - last["due_ms"], 3),
        "over_5ms": sum(1 for value in lateness if value > 5),
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    # Stopped from outside (timeout, kill): still stop the server, the browser and the busy loops.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    chromium = find_chromium(args.chromium)
    from playwright.sync_api import sync_playwright

    data_dir = Path(tempfile.mkdtemp(prefix="knipa-bench-"))
    os.environ["KNIPA_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "knipa.settings"
    timeline = build_round(args.minutes)
    round_seconds = timeline["planned_ms"] / 1000
    launch_args = BASE_ARGS + ([] if args.plain_browser else UNTHROTTLED_ARGS)
    cores = os.cpu_count() or 2
    print(f"Knipa cue timing: a {round_seconds:.0f} s round of {len(timeline['cues'])} cues, "
          f"{cores} CPU cores, Chromium flags: {' '.join(launch_args)}", flush=True)
    results: dict[str, dict] = {}
    try:
        with knipa_server(data_dir) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=launch_args)
            try:
                page = browser.new_context(viewport={"width": 412, "height": 915}).new_page()
                page.set_default_timeout(30_000)
                become_a_person(page, base)
                runs = [args.only] if args.only else ["idle", "loaded"]
                for run in runs:
                    print(f"{run}: playing ...", flush=True)
                    if run == "loaded":
                        with busy_cores(cores, round_seconds + LOAD_GRACE_S):
                            results[run] = play_round(page, base, timeline)
                    else:
                        results[run] = play_round(page, base, timeline)
                    figures = results[run]
                    print(
                        f"{run:>6}: p50 {figures['p50_ms']:.2f} ms, p99 {figures['p99_ms']:.2f} ms, "
                        f"max {figures['max_ms']:.2f} ms, drift at the end {figures['drift_ms']:.2f} ms "
                        f"({figures['cues']} cues, {figures['over_5ms']} over 5 ms, {figures['skipped']} skipped)",
                        flush=True,
                    )
                    print(
                        f"{'':>6}  the timer woke p50 {figures['timer_p50_ms']:.2f} ms, p99 {figures['timer_p99_ms']:.2f} ms "
                        f"after the moment asked for (the spin window is {figures['wake_early_ms']} ms)",
                        flush=True,
                    )
            finally:
                browser.close()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    summary = {}
    for run, figures in results.items():
        for key in ("p50_ms", "p99_ms", "max_ms", "drift_ms"):
            summary[f"{run}_{key}"] = figures[key]
    summary["cues"] = len(timeline["cues"])
    summary["round_seconds"] = round(round_seconds)
    summary["chromium_flags"] = " ".join(launch_args)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
