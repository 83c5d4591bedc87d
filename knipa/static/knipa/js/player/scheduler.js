// The cue scheduler: fires every cue of a round at ONE origin plus the cue's offset, never by
// chaining delays, so nothing drifts however long the round is (see knipa/program/timeline.py).
//
//   due(i) = origin + cues[i].at_ms + shiftMs
//
// shiftMs grows by the length of every pause and shrinks by the unused time of an endurance hold
// that ended early (E3: Done before the target); both move every later cue, never an earlier one.
//
// Precision: a timer alone is late by a few ms when the CPU is busy, so the scheduler asks for a
// timer WAKE_EARLY_MS before the due time and then spins on performance.now() until the exact
// moment. The spin costs at most WAKE_EARLY_MS of CPU per cue (a cue every second or two).
//
// Stale cues: a hidden tab's timers are throttled (to once a second, or once a minute after a
// while) and a sleeping phone runs none at all. When the scheduler wakes and finds several cues
// overdue it does not fire a burst of them: every cue due before the latest overdue one is
// skipped, and the latest one (the phase the person is in now) is shown, silently if it is more
// than STALE_MS late. Cues with the same due time (the last relax and `done`) fire together.

export const WAKE_EARLY_MS = 15;
export const STALE_MS = 1000;

export class CueScheduler {
  /**
   * @param {Array<{at_ms: number}>} cues in order of at_ms
   * @param {object} hooks
   *   onCue(index, info): a cue fires; info = {dueMs, firedMs, lateMs, stale}
   *   onSkip(index, info): a cue was overdue behind a later one and is skipped
   *   onPlan(): the schedule was (re)armed: the moment to schedule sounds ahead (lookahead)
   *   onUnplan(): the schedule changed (pause, shift, stop): cancel what was scheduled ahead
   *   onEnd(): the last cue has fired
   */
  constructor(cues, hooks = {}, { clock = () => performance.now(), wakeEarlyMs = WAKE_EARLY_MS } = {}) {
    this.cues = cues;
    this.hooks = hooks;
    this.clock = clock;
    this.wakeEarlyMs = wakeEarlyMs;
    this.origin = null;
    this.shiftMs = 0;
    // Every change of the schedule: {reason, ms, atMs: timeline time, appliedMs: since the origin}.
    this.shifts = [];
    this.pausedAt = null;
    this.nextIndex = 0;
    this.timer = null;
    this.active = false;
  }

  get started() {
    return this.origin !== null;
  }

  get paused() {
    return this.pausedAt !== null;
  }

  get finished() {
    return this.started && this.nextIndex >= this.cues.length;
  }

  /** The due time of cue `index` on the performance.now() clock, with every shift so far. */
  due(index) {
    return this.origin + this.cues[index].at_ms + this.shiftMs;
  }

  /** Where the round is now, in timeline milliseconds (frozen while paused). */
  timelineNow() {
    const now = this.pausedAt ?? this.clock();
    return now - this.origin - this.shiftMs;
  }

  /** Milliseconds until the next cue is due (Infinity when none is left or while paused). */
  msUntilNext() {
    if (!this.active || this.paused || this.nextIndex >= this.cues.length) return Infinity;
    return this.due(this.nextIndex) - this.clock();
  }

  start(origin = this.clock()) {
    if (this.started) throw new Error("the scheduler has already started");
    this.origin = origin;
    this.active = true;
    this.arm();
  }

  pause() {
    if (!this.active || this.paused) return false;
    this.pausedAt = this.clock();
    this.disarm();
    return true;
  }

  resume() {
    if (!this.active || !this.paused) return false;
    const pausedMs = this.clock() - this.pausedAt;
    this.shifts.push({ reason: "pause", ms: pausedMs, atMs: this.timelineNow(), appliedMs: this.clock() - this.origin });
    this.shiftMs += pausedMs;
    this.pausedAt = null;
    this.arm();
    return true;
  }

  /** Move every cue not yet fired by `deltaMs` (negative: earlier). */
  shift(deltaMs, reason = "shift") {
    if (!this.active) return;
    this.disarm();
    this.shifts.push({ reason, ms: deltaMs, atMs: this.timelineNow(), appliedMs: this.clock() - this.origin });
    this.shiftMs += deltaMs;
    if (!this.paused) this.arm();
  }

  stop() {
    this.active = false;
    this.disarm();
  }

  /** Jump to the present at once, e.g. when a hidden tab becomes visible again. */
  resync() {
    if (!this.active || this.paused) return;
    this.disarm();
    this.wake();
  }

  disarm() {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.hooks.onUnplan?.();
  }

  arm() {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.active || this.paused || this.nextIndex >= this.cues.length) return;
    this.hooks.onPlan?.();
    const wait = this.due(this.nextIndex) - this.clock() - this.wakeEarlyMs;
    if (wait <= 0) {
      // Due now or within the spin window (a resume, an endurance hold ended early, two cues
      // close together): a timer would only add its own delay.
      this.wake();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wake();
    }, wait);
  }

  wake() {
    if (!this.active || this.paused || this.nextIndex >= this.cues.length) return;
    let now = this.clock();
    this.wokeAt = now;
    const firstDue = this.due(this.nextIndex);
    if (firstDue - now > this.wakeEarlyMs) {
      // Woke too early (a timer never fires early, but a resync may come at any time).
      this.arm();
      return;
    }
    while (now < firstDue) now = this.clock();

    // The latest cue already due: everything strictly before it is stale.
    let latest = this.nextIndex;
    while (latest + 1 < this.cues.length && this.due(latest + 1) <= now) latest += 1;
    const latestDue = this.due(latest);
    while (this.due(this.nextIndex) < latestDue) {
      const index = this.nextIndex;
      this.nextIndex += 1;
      this.hooks.onSkip?.(index, this.info(index, now));
    }
    // Fire every cue due at that same moment, in order, unless one of them pauses or stops.
    while (this.active && !this.paused && this.nextIndex < this.cues.length && this.due(this.nextIndex) <= now) {
      const index = this.nextIndex;
      this.nextIndex += 1;
      const info = this.info(index, this.clock());
      this.hooks.onCue?.(index, info);
      now = this.clock();
    }
    if (this.nextIndex >= this.cues.length) {
      this.active = false;
      this.hooks.onEnd?.();
      return;
    }
    this.arm();
  }

  info(index, firedAt) {
    const dueAt = this.due(index);
    const lateMs = firedAt - dueAt;
    return {
      dueMs: dueAt - this.origin,
      firedMs: firedAt - this.origin,
      // When the scheduler woke for this cue: it should be about wakeEarlyMs before the due time.
      wokeMs: this.wokeAt - this.origin,
      lateMs,
      stale: lateMs > STALE_MS,
    };
  }
}
