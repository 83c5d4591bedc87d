// The guided round (training/player.html): choose a position, check the technique (T1, T2),
// then follow the cues of the round's timeline (GET /api/timeline) with picture, sound, voice
// and vibration; a short self-report after each exercise (S1: pain stops the round at once), with
// one question about the whole round after its last exercise (T6); and the round saved with
// POST /api/rounds (kept in this browser and retried when offline). "It hurts" stops the round at
// any moment (S1), with the pain recorded for the exercise under way.
//
// Endurance (E3) is held as long as the person can: the target is a goal shown on the clock and
// celebrated when passed; Done ends the hold, and the relax at the safe limit ends it otherwise.
//
// The page may be the daily-life practice (E6, data-practice="daily_life"): the timeline is then
// asked for with ?practice=daily_life, and the round is recorded with the stage the timeline names.
//
// Timing is the scheduler's job (player/scheduler.js): every cue against one origin. This module
// only reacts to cues, and keeps its own work out of the few milliseconds before a cue is due.
//
// Leaving the page while a round is under way is never silent: closing or reloading asks the
// browser's own question (beforeunload), and the back button, which would otherwise leave the
// page at once, first meets an entry the round pushed on the history: going back pops it, and the
// page asks "Stop the round?" (Stop / Go on). Stopping, there or by leaving anyway (pagehide),
// saves the round as stopped with the exercises done so far, through the same outbox as every
// round, so it is stored once. None of this runs per cue: the scheduler's timing is untouched.
//
// This module is the round. The page's first script, train.js, makes the first screen work (the
// toggles, the remembered position, Start) and loads this when the person starts getting ready,
// so that a phone's first visit stays light; it also sets window.knipaPlayer for tests and the
// benchmark. A round that could not be sent waits in the outbox, which js/app.js sends from any
// page when the connection returns; the end screen here then says it has been sent.
//
// Offline, the round comes from the service worker's cache: it keeps the answer of
// GET /api/timeline each time the player's page is kept (sw.js), and the player uses it when the
// network fails.

import { CueScheduler } from "./player/scheduler.js";
import { CueSounds } from "./player/sound.js";
import { CueVoice } from "./player/speech.js";
import { RoundOutbox, SENT_CHANNEL } from "./player/outbox.js";

// Tones are scheduled on the audio clock this far ahead of their cue (see player/sound.js).
const SOUND_LOOKAHEAD_MS = 1500;
// The countdown is redrawn this often, but never just before a cue is due.
const DISPLAY_TICK_MS = 100;
const DISPLAY_QUIET_BEFORE_CUE_MS = 40;
// How long after pressing Start the first cue is due (too short to notice).
const START_LEAD_MS = 60;
const VIBRATION = { squeeze: [220], relax: [90, 80, 90], get_ready: [60], next_exercise: [60], rest: [60], done: [120, 80, 120, 80, 240] };
// A hold cue that asks for something (E5 "now stand up", E6 "now cough") is felt too; a mere
// "hold" reminder is not.
const VIBRATION_ACT_WHILE_HOLDING = [60, 60, 60];
// "Fast" plays a timeline 20 times faster: for tests and demonstrations only.
const FAST_SPEED = 20;
// The hold cue at the goal of an endurance hold (E3, knipa/program/timeline.py).
const TARGET_REACHED = "target_reached";
// How long Start waits for the round from the server before it takes the one kept for offline use.
const TIMELINE_PATIENCE_MS = 8000;

// Which self-report questions each exercise asks (E0 clarity, T3 lift, full strength, S1 pain)
// and whether the round asks how it felt (T6) are clinical rules: they come with the timeline
// (each exercise's `questions`, the round's `asks_effort`; knipa/program/questions.py), and the
// player asks exactly those. The per-exercise questions, as the form names them:
const EXERCISE_QUESTIONS = ["full_strength", "felt_clearly", "felt_lift", "pain"];
// S1: pain is always asked, even of a timeline that lists no questions.
const ALWAYS_ASKED = ["pain"];

function isoNow() {
  return new Date().toISOString();
}

// Browsers allow sound, speech and vibration only once the person has interacted with the page
// (a click on Start); before that, trying only fills the console with refusals.
function hasBeenActive() {
  return !navigator.userActivation || navigator.userActivation.hasBeenActive;
}

// The round's id, made here before the round starts so that sending it twice stores it once.
// crypto.randomUUID exists only in secure contexts (HTTPS, localhost); a clinic serving Knipa
// over plain HTTP on its own network still gets a random version 4 UUID.
function newRoundId() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The tone of a cue: its kind's, except the goal of an endurance hold, which has its own (E3). */
function toneOf(cue) {
  return cue.kind === "hold" && cue.text_key === TARGET_REACHED ? TARGET_REACHED : cue.kind;
}

function clock(seconds) {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

class Strings {
  constructor(template) {
    this.texts = {};
    if (!template) return;
    for (const element of template.content.querySelectorAll("[data-key]")) {
      this.texts[element.dataset.key] = element.textContent.trim();
    }
  }

  get(key, values = {}) {
    let text = this.texts[key] ?? key;
    for (const [name, value] of Object.entries(values)) text = text.replaceAll(`{${name}}`, String(value));
    return text;
  }
}

/** A timeline played `speed` times faster: every offset and duration divided by it. */
function scaled(timeline, speed) {
  if (speed === 1) return timeline.cues.map((cue) => ({ ...cue }));
  return timeline.cues.map((cue) => ({
    ...cue,
    at_ms: Math.round(cue.at_ms / speed),
    duration_ms: Math.round(cue.duration_ms / speed),
    target_ms: cue.target_ms == null ? null : Math.round(cue.target_ms / speed),
  }));
}

export class Player {
  /**
   * From train.js: `settings`, the toggles as they are ({sound, voice, vibration, shortcuts}), and
   * `remember(key, value)`, which keeps a choice in this browser (the position, a finished round).
   */
  constructor(root, { settings = {}, remember = () => {} } = {}) {
    this.remember = remember;
    this.root = root;
    this.strings = new Strings(root.querySelector("#player-strings"));
    this.screens = {
      setup: root.querySelector("#player-setup"),
      run: root.querySelector("#player-run"),
      report: root.querySelector("#player-report"),
      finished: root.querySelector("#player-finished"),
    };
    this.slots = {};
    for (const element of root.querySelectorAll("[data-slot]")) this.slots[element.dataset.slot] = element;
    this.lift = root.querySelector("#player-lift");
    this.announcer = root.querySelector("#player-announcer");
    this.pauseButton = root.querySelector("[data-action=pause]");
    this.setupForm = root.querySelector("#player-setup-form");
    this.reportForm = root.querySelector("#player-report-form");
    this.settingsSection = root.querySelector("#player-settings");
    this.leaveDialog = root.querySelector("#player-leave");
    this.csrfToken = root.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
    this.outbox = new RoundOutbox({ url: root.dataset.roundsUrl, csrfToken: this.csrfToken, owner: root.dataset.owner });

    this.sound = new CueSounds();
    this.voice = new CueVoice(document.documentElement.lang);
    this.vibrationEnabled = true;
    this.shortcutsEnabled = true;

    this.state = "setup"; // setup, loading, running, report, finished
    this.cueLog = [];
    this.skippedLog = [];
    this.scheduler = null;
    this.announceToggle = false;
    this.wakeLock = null;
    this.ticker = null;
    this.lastShown = -1;

    this.bind();
    for (const [name, on] of Object.entries(settings)) this.applySetting(name, on);
  }

  // --- Wiring ------------------------------------------------------------------------------

  /** A toggle changed (or is as train.js found it): sound, voice, vibration, shortcuts. */
  applySetting(name, on) {
    if (name === "sound") {
      this.sound.enabled = on;
      if (!on) this.sound.cancelFuture();
      else if (this.scheduler?.active && !this.scheduler.paused) this.scheduleSoundsAhead();
    }
    if (name === "voice") {
      this.voice.enabled = on;
      if (!on) this.voice.cancel();
    }
    if (name === "vibration") this.vibrationEnabled = on;
    if (name === "shortcuts") this.shortcutsEnabled = on;
  }

  bind() {
    this.reportForm.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submitReport();
    });
    this.root.querySelector("[data-action=pause]").addEventListener("click", () => this.togglePause());
    this.root.querySelector("[data-action=stop]").addEventListener("click", () => this.stop());
    this.root.querySelector("[data-action=pain]").addEventListener("click", () => this.stopForPain());
    // The relaxation page (E8) has no hold to end, so no endurance controls.
    this.root.querySelector("[data-action=lost]")?.addEventListener("click", () => this.lostIt());
    this.root.querySelector("[data-action=done]")?.addEventListener("click", () => this.endHold());
    document.addEventListener("keydown", (event) => this.onKey(event));
    document.addEventListener("visibilitychange", () => this.onVisibility());
    window.addEventListener("beforeunload", (event) => this.onBeforeUnload(event));
    window.addEventListener("pagehide", () => this.onPageHide());
    window.addEventListener("popstate", (event) => this.onPopState(event));
    this.leaveDialog?.addEventListener("close", () => this.onLeaveAnswer(this.leaveDialog.returnValue));
    // A round kept on this device is sent later, by js/app.js on this page or another tab; the
    // outbox says so here, and the end screen follows.
    if ("BroadcastChannel" in window) {
      new BroadcastChannel(SENT_CHANNEL).addEventListener("message", (event) => this.onRoundSent(event.data || {}));
    }
  }

  onKey(event) {
    // While "Stop the round?" is asked, Escape answers the question (Go on), not the round.
    if (this.leaveDialog?.open) return;
    if (!this.shortcutsEnabled || (this.state !== "running") || event.ctrlKey || event.metaKey || event.altKey) return;
    const onControl = event.target instanceof Element && event.target.closest("button, a, input, select, textarea, summary, [contenteditable]");
    switch (event.key) {
      case " ":
      case "Spacebar":
        if (onControl) return; // a focused button or box answers Space itself
        event.preventDefault();
        this.togglePause();
        break;
      case "Escape":
        event.preventDefault();
        this.stop();
        break;
      case "d":
      case "D":
        if (this.hold) {
          event.preventDefault();
          this.endHold();
        }
        break;
      case "l":
      case "L":
        if (this.hold) {
          event.preventDefault();
          this.lostIt();
        }
        break;
      default:
    }
  }

  onVisibility() {
    if (document.visibilityState !== "visible") return;
    if (this.state === "running" || this.state === "report") this.keepAwake();
    // Whatever happened while hidden: straight to the present, without a burst of old cues.
    if (this.state === "running") this.scheduler?.resync();
  }

  async keepAwake() {
    if (!("wakeLock" in navigator) || (this.wakeLock && !this.wakeLock.released)) return;
    try {
      this.wakeLock = await navigator.wakeLock.request("screen");
    } catch (error) {
      this.wakeLock = null; // Not allowed here (battery saver, no permission): the round goes on.
    }
  }

  releaseWakeLock() {
    if (this.wakeLock && !this.wakeLock.released) this.wakeLock.release().catch(() => {});
    this.wakeLock = null;
  }

  show(screen) {
    for (const [name, element] of Object.entries(this.screens)) element.hidden = name !== screen;
    this.settingsSection.hidden = screen === "finished" || screen === "report";
  }

  announce(text) {
    // A changed text is announced even when the words repeat ("Relax", "Relax").
    this.announceToggle = !this.announceToggle;
    this.announcer.textContent = this.announceToggle ? text : `${text}\u00a0`;
  }

  // --- Leaving while a round is under way -----------------------------------------------------

  underWay() {
    return this.state === "running" || this.state === "report";
  }

  onBeforeUnload(event) {
    if (!this.underWay() || !this.options?.record) return;
    // The browser asks in its own words whether to leave; the text cannot be chosen.
    event.preventDefault();
    event.returnValue = "";
  }

  onPageHide() {
    // The person left anyway (or the browser closed the page): what was done is saved as a stopped
    // round. The outbox keeps it in localStorage before sending (keepalive), so it is never lost.
    if (!this.underWay()) return;
    this.unloading = true; // no history to tidy on a page that is going away
    this.finish("stopped");
  }

  onPopState() {
    if (this.leaving) {
      // The history entry of a round that ended is taken away (see finish): nothing to ask.
      this.leaving = false;
      return;
    }
    if (!this.underWay() || !this.leaveDialog) return;
    // Back during a round: the round's own history entry is gone, the page is still here. The
    // round waits while the person decides.
    this.pausedForLeaving = this.state === "running" && this.scheduler.pause();
    if (this.pausedForLeaving) {
      this.voice.cancel();
      this.setPausedLook(true);
    }
    this.leaveDialog.returnValue = "";
    this.leaveDialog.showModal();
  }

  onLeaveAnswer(answer) {
    if (answer === "stop") {
      this.goBackWhenSaved = true;
      this.finish("stopped");
      return;
    }
    // Go on (or Escape): the round's history entry comes back, and the round goes on.
    if (!this.underWay()) return;
    history.pushState({ knipaRound: this.roundId }, "");
    if (this.pausedForLeaving) this.resume();
    this.pausedForLeaving = false;
  }

  // --- Starting ----------------------------------------------------------------------------

  async startFromSetup() {
    if (this.state !== "setup") return;
    const error = this.root.querySelector("#player-setup-error");
    error.hidden = true;
    if (!this.setupForm.reportValidity()) return;
    const position = new FormData(this.setupForm).get("position");
    this.remember("position", position);
    this.sound.unlock(); // inside the click: browsers allow sound only after a gesture
    this.state = "loading";
    const button = this.root.querySelector("#player-start");
    button.disabled = true;
    let timeline;
    try {
      timeline = await this.fetchTimeline(position);
    } catch (failure) {
      this.state = "setup";
      button.disabled = false;
      error.textContent = this.strings.get("load-failed");
      error.hidden = false;
      return;
    }
    button.disabled = false;
    this.state = "setup";
    if (timeline.stage && this.root.dataset.stage && timeline.stage !== this.root.dataset.stage) {
      // The plan moved on since the page was drawn (a changed pain answer in another tab, say):
      // the page's words are for another round (S1: a relaxation page never speaks of
      // squeezing), so draw the page anew for the round the plan now asks for. Offline the page
      // would come back the same from the cache: say the round cannot be had now instead.
      if (timeline.kept) {
        error.textContent = this.strings.get("load-failed");
        error.hidden = false;
        return;
      }
      window.location.reload();
      return;
    }
    this.playTimeline(timeline);
  }

  /** The round from GET /api/timeline; when the network fails, the one kept for offline use. */
  async fetchTimeline(position) {
    const query = new URLSearchParams({ position });
    if (this.root.dataset.practice) query.set("practice", this.root.dataset.practice);
    const url = `${this.root.dataset.timelineUrl}?${query}`;
    const patience = new AbortController();
    const timer = setTimeout(() => patience.abort(), TIMELINE_PATIENCE_MS);
    let response;
    try {
      response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, signal: patience.signal });
    } catch (failure) {
      const kept = await this.keptTimeline(position);
      if (kept) return kept;
      throw failure;
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }

  /**
   * The round sw.js kept with this page (under the address without a position: the exercises and
   * cues are the same in every position the round allows, only the position differs).
   */
  async keptTimeline(position) {
    if (!("caches" in window)) return null;
    const practice = this.root.dataset.practice ? `?practice=${encodeURIComponent(this.root.dataset.practice)}` : "";
    try {
      const response = await caches.match(`${this.root.dataset.timelineUrl}${practice}`, { ignoreVary: true });
      if (!response) return null;
      const timeline = await response.json();
      if (Array.isArray(timeline.positions) && timeline.positions.includes(position)) timeline.position = position;
      timeline.kept = true;
      return timeline;
    } catch (error) {
      return null;
    }
  }

  /**
   * Play a timeline (the dict GET /api/timeline answers). Options: `speed` (or `fast: true` for
   * 20 times faster), `report` (ask the self-report after each exercise; default true), `record`
   * (save the round; default true), `stage` (default: the timeline's, else the page's). Resolves
   * when the round ends.
   */
  playTimeline(timeline, options = {}) {
    if (this.state !== "setup" && this.state !== "finished") {
      return Promise.reject(new Error(`a round is already under way (${this.state})`));
    }
    const speed = options.speed ?? (options.fast ? FAST_SPEED : 1);
    this.options = { report: true, record: true, stage: timeline.stage || this.root.dataset.stage, ...options, speed };
    this.timeline = timeline;
    this.cues = scaled(timeline, speed);
    this.exercises = timeline.exercises.map((exercise) => ({
      ...exercise,
      achievedReps: 0,
      heldMs: null,
      recatches: 0,
      fullStrengthReps: null,
      feltLift: "",
      feltClearly: "",
      pain: false,
      reported: false,
    }));
    this.cueLog = [];
    this.skippedLog = [];
    this.lastShown = -1;
    this.hold = null;
    this.reportFor = null;
    this.roundEnded = false;
    this.effort = "";
    this.saveOutcome = null;
    this.sentMeanwhile = null;
    this.roundId = newRoundId();
    this.startedAt = isoNow();
    if (hasBeenActive()) this.sound.unlock();
    this.scheduler = new CueScheduler(this.cues, {
      onCue: (index, info) => this.onCue(index, info),
      onSkip: (index, info) => this.onSkip(index, info),
      onPlan: () => this.scheduleSoundsAhead(),
      onUnplan: () => this.sound.cancelFuture(),
    }, this.options.wakeEarlyMs === undefined ? {} : { wakeEarlyMs: this.options.wakeEarlyMs });
    this.finishedPromise = new Promise((resolve) => {
      this.resolveFinished = resolve;
    });
    this.state = "running";
    this.root.dataset.state = "running";
    this.setPausedLook(false);
    this.show("run");
    this.keepAwake();
    this.pauseButton.focus();
    this.ticker = setInterval(() => this.tick(), DISPLAY_TICK_MS);
    this.goBackWhenSaved = false;
    this.pausedForLeaving = false;
    this.unloading = false;
    this.leaving = false;
    // Back during the round pops this entry instead of leaving the page (see onPopState).
    if (this.options.record) history.pushState({ knipaRound: this.roundId }, "");
    // The first cue is due a moment after the round starts, not at once: planning the first
    // sounds and drawing the run screen then happen before it, instead of making it late.
    this.scheduler.start(performance.now() + START_LEAD_MS);
    return this.finishedPromise;
  }

  // --- Cues --------------------------------------------------------------------------------

  scheduleSoundsAhead() {
    const scheduler = this.scheduler;
    if (!scheduler || !this.sound.enabled || scheduler.nextIndex >= this.cues.length) return;
    const horizon = scheduler.due(scheduler.nextIndex) + SOUND_LOOKAHEAD_MS;
    for (let index = scheduler.nextIndex; index < this.cues.length; index += 1) {
      const due = scheduler.due(index);
      if (due > horizon) break;
      this.sound.schedule(this.soundKey(index), toneOf(this.cues[index]), due);
    }
  }

  soundKey(index) {
    return `${this.roundId}:${index}`;
  }

  onCue(index, info) {
    const cue = this.cues[index];
    const entry = {
      index,
      kind: cue.kind,
      due_ms: Math.round(info.dueMs * 1000) / 1000,
      fired_ms: Math.round(info.firedMs * 1000) / 1000,
      late_ms: Math.round(info.lateMs * 1000) / 1000,
      woke_ms: Math.round(info.wokeMs * 1000) / 1000,
      at_ms: cue.at_ms,
      exercise_index: cue.exercise_index,
      rep: cue.rep,
      hidden: document.hidden,
    };
    if (info.stale) {
      // Long overdue (a sleeping phone, a throttled tab): show where the round is, say nothing.
      this.skippedLog.push({ ...entry, shown: true });
      this.showCue(index, { quiet: true });
    } else {
      this.cueLog.push(entry);
      this.showCue(index, { quiet: false });
    }
    this.afterCue(index);
  }

  onSkip(index, info) {
    const cue = this.cues[index];
    this.skippedLog.push({
      index, kind: cue.kind, due_ms: info.dueMs, fired_ms: null, late_ms: info.lateMs, at_ms: cue.at_ms, shown: false,
    });
    this.count(cue);
    if (this.hold && this.hold.exerciseIndex === cue.exercise_index && cue.kind === "relax") this.closeHold(cue, false);
    if (this.isLastRelax(cue)) this.reportFor = cue.exercise_index;
  }

  isLastRelax(cue) {
    return cue.kind === "relax" && cue.rep === cue.reps;
  }

  count(cue) {
    if (cue.kind === "squeeze") {
      const exercise = this.exercises[cue.exercise_index];
      exercise.achievedReps = Math.min(exercise.reps, exercise.achievedReps + 1);
    }
  }

  showCue(index, { quiet }) {
    const cue = this.cues[index];
    this.lastShown = index;
    this.count(cue);
    const key = this.soundKey(index);
    if (!quiet) {
      // The tone was normally scheduled ahead on the audio clock; if not (sound just turned
      // on), it plays now.
      if (this.sound.enabled && !this.sound.isScheduled(key)) this.sound.playNow(key, toneOf(cue));
      // Voice and vibration go to the browser and the system: done right after the scheduler's
      // turn, so that a cue due at the same moment (the last relax and `done`) is not kept
      // waiting behind them. The order of what is said stays the order of the cues.
      queueMicrotask(() => {
        const pattern = cue.kind === "hold" && cue.text_key !== "hold" ? VIBRATION_ACT_WHILE_HOLDING : VIBRATION[cue.kind];
        if (this.vibrationEnabled && pattern && typeof navigator.vibrate === "function" && hasBeenActive()) {
          navigator.vibrate(pattern);
        }
        if (hasBeenActive()) this.voice.speak(cue.text || "");
      });
    }
    this.announce(cue.text || "");
    this.slots.cue.textContent = cue.text || "";

    const phase = {
      squeeze: "is-up", hold: "is-up", relax: "is-down", rest: "is-down",
      get_ready: "is-ready", next_exercise: "is-ready", done: "is-done",
    }[cue.kind] || "is-ready";
    const exercise = this.exercises[cue.exercise_index];
    // The ball rises quickly with a squeeze and sinks a little slower; a breath in (E8) lasts
    // as long as its phase.
    const relaxation = exercise.kind === "relaxation";
    const travel = phase === "is-up"
      ? (relaxation ? cue.duration_ms : Math.min(600, cue.duration_ms * 0.3))
      : (relaxation ? cue.duration_ms : Math.min(900, cue.duration_ms * 0.5));
    this.lift.style.setProperty("--lift-ms", `${Math.max(0, Math.round(travel))}ms`);
    if (!(cue.kind === "hold" && this.lift.classList.contains("is-up"))) {
      this.lift.classList.remove("is-up", "is-down", "is-ready", "is-done");
      this.lift.classList.add(phase);
    }
    this.lift.dataset.kind = cue.kind;

    const total = this.exercises.length;
    this.slots.step.textContent = this.strings.get("step", { number: cue.exercise_index + 1, total });
    const name = this.strings.get(exercise.exercise);
    if (cue.kind === "rest" && cue.exercise_index + 1 < total) {
      this.slots.exercise.textContent = this.strings.get("up-next", { name: this.strings.get(this.exercises[cue.exercise_index + 1].exercise) });
    } else {
      this.slots.exercise.textContent = name;
    }
    const rep = cue.rep || (cue.kind === "rest" ? cue.reps : 0);
    this.slots.reps.textContent = `${rep} / ${cue.reps}`;

    if (cue.open_ended && (cue.kind === "squeeze" || cue.kind === "hold")) {
      if (!this.hold || this.hold.exerciseIndex !== cue.exercise_index) this.openHold(index, cue);
      // E3: the goal is passed; the cue itself is said, shown and felt like any other.
      if (cue.text_key === TARGET_REACHED) this.markGoalReached();
    } else if (this.hold && cue.kind === "relax") {
      this.closeHold(cue, true);
    }
    this.tick(true);
  }

  afterCue(index) {
    const cue = this.cues[index];
    if (!this.options.report) {
      this.reportFor = null;
    } else {
      if (this.isLastRelax(cue)) this.reportFor = cue.exercise_index;
      if (this.reportFor !== null) {
        // Before the rest, the next exercise or the end: the schedule waits for the answers.
        this.openReport(this.reportFor, cue.kind === "done");
        return;
      }
    }
    if (cue.kind === "done") this.finish("finished");
  }

  // --- Endurance (E3): an open-ended hold -----------------------------------------------------

  openHold(index, cue) {
    const relaxIndex = this.cues.findIndex((other, at) => at > index && other.kind === "relax" && other.exercise_index === cue.exercise_index);
    const squeezeCue = this.cues.findLast((other, at) => at <= index && other.kind === "squeeze" && other.exercise_index === cue.exercise_index);
    // The squeeze lasts up to the safe limit (duration_ms); the target is the goal on the way. A
    // timeline from before targets were sent ends the hold at the target, as it used to.
    const limitMs = squeezeCue.duration_ms;
    const targetMs = squeezeCue.target_ms ?? limitMs;
    this.hold = { exerciseIndex: cue.exercise_index, relaxIndex, startAtMs: squeezeCue.at_ms, targetMs, limitMs, goalReached: false };
    this.goalText = clock((targetMs * this.options.speed) / 1000);
    this.slots.target.textContent = this.strings.get("goal", { time: this.goalText });
    this.slots["held-item"].classList.remove("is-goal-reached");
    this.slots.recatches.textContent = String(this.exercises[cue.exercise_index].recatches);
    this.slots.endurance.hidden = false;
    this.slots["held-item"].hidden = false;
    this.slots["countdown-item"].hidden = true;
  }

  /** How long the hold has lasted, in (played) timeline ms: past the target, up to the limit. */
  heldMs() {
    if (!this.hold) return 0;
    return Math.min(this.hold.limitMs, Math.max(0, this.scheduler.timelineNow() - this.hold.startAtMs));
  }

  /** The goal is passed (E3): shown on the clock. Said aloud by the target cue, if it fired. */
  markGoalReached() {
    if (!this.hold || this.hold.goalReached) return;
    this.hold.goalReached = true;
    this.slots["held-item"].classList.add("is-goal-reached");
    this.slots.target.textContent = this.strings.get("goal-reached", { time: this.goalText });
  }

  closeHold(cue, reachedByRelax) {
    const exercise = this.exercises[this.hold.exerciseIndex];
    // A relax that comes by itself comes at the safe limit: the hold lasted that long.
    if (exercise.heldMs === null) exercise.heldMs = reachedByRelax ? this.hold.limitMs : this.heldMs();
    this.hold = null;
    this.slots.endurance.hidden = true;
    this.slots["held-item"].hidden = true;
    this.slots["held-item"].classList.remove("is-goal-reached");
    this.slots["countdown-item"].hidden = false;
  }

  lostIt() {
    if (!this.hold || this.state !== "running" || this.scheduler.paused) return;
    const exercise = this.exercises[this.hold.exerciseIndex];
    exercise.recatches += 1;
    this.slots.recatches.textContent = String(exercise.recatches);
    this.announce(this.strings.get("lost"));
    if (hasBeenActive()) this.voice.speak(this.strings.get("lost"));
  }

  /** Done: the hold ends now, and every later cue moves earlier by the time left to the limit (E3). */
  endHold() {
    if (!this.hold || this.state !== "running" || this.scheduler.paused) return;
    const scheduler = this.scheduler;
    const { relaxIndex } = this.hold;
    this.exercises[this.hold.exerciseIndex].heldMs = this.heldMs();
    const unused = scheduler.due(relaxIndex) - performance.now();
    // The relax cue becomes due now, and the scheduler fires it at once.
    if (unused > 0) scheduler.shift(-unused, "hold_ended");
  }

  // --- Pause, resume, stop ------------------------------------------------------------------

  togglePause() {
    if (this.state !== "running") return;
    if (this.scheduler.paused) this.resume();
    else this.pause();
  }

  pause() {
    if (!this.scheduler.pause()) return;
    this.voice.cancel();
    this.setPausedLook(true);
    this.announce(this.strings.get("paused"));
  }

  resume() {
    this.setPausedLook(false);
    this.announce(this.strings.get("resumed"));
    this.scheduler.resume();
  }

  setPausedLook(paused) {
    this.root.classList.toggle("is-paused", paused);
    this.slots.paused.hidden = !paused;
    this.slots["pause-label"].textContent = this.strings.get(paused ? "resume" : "pause");
    for (const button of this.root.querySelectorAll("[data-action=lost], [data-action=done]")) button.disabled = paused;
  }

  stop() {
    if (this.state !== "running" && this.state !== "report") return;
    this.finish("stopped");
  }

  /** "It hurts": the round ends at once, with pain recorded for the exercise under way (S1). */
  stopForPain() {
    if (this.state !== "running") return;
    // Before the first cue the round is at its first exercise; a rest between exercises belongs
    // to the exercise just done, as its cue says.
    const index = this.lastShown >= 0 ? this.cues[this.lastShown].exercise_index : 0;
    this.exercises[index].pain = true;
    this.finish("stopped_for_pain");
  }

  // --- The self-report after each exercise -------------------------------------------------

  openReport(exerciseIndex, roundOver) {
    this.scheduler.pause();
    this.voice.cancel();
    this.state = "report";
    this.root.dataset.state = "report";
    this.reportRoundOver = roundOver;
    const exercise = this.exercises[exerciseIndex];
    this.reportExercise = exerciseIndex;
    this.reportForm.reset();
    const asked = new Set([...ALWAYS_ASKED, ...(exercise.questions || [])]);
    for (const name of EXERCISE_QUESTIONS) this.askQuestion(name, asked.has(name));
    const fullStrength = this.reportForm.elements.full_strength_reps;
    if (fullStrength) fullStrength.max = String(exercise.achievedReps);
    if (this.slots["full-strength-hint"]) {
      this.slots["full-strength-hint"].textContent = this.strings.get("full-strength-hint", { reps: exercise.achievedReps });
    }
    // Asked once, with the last exercise's answers, before the round is saved. The last relax
    // cue and `done` are due together, so this report is the end of the round.
    const lastExercise = exerciseIndex === this.exercises.length - 1;
    this.askQuestion("effort", lastExercise && this.timeline.asks_effort === true);
    this.slots["report-exercise"].textContent = `(${this.strings.get(exercise.exercise)})`;
    this.show("report");
    this.root.querySelector("#report-heading").focus();
  }

  /** Show a question of the self-report, or hide it and leave it out of the answers. */
  askQuestion(name, ask) {
    const field = this.reportForm.querySelector(`[data-question=${name}]`);
    // The relaxation page (E8) leaves out the questions about squeezing, which it never asks.
    if (!field) return;
    field.hidden = !ask;
    for (const input of field.querySelectorAll("input")) input.disabled = !ask;
  }

  submitReport() {
    if (this.state !== "report") return;
    if (!this.reportForm.reportValidity()) return;
    const data = new FormData(this.reportForm);
    const exercise = this.exercises[this.reportExercise];
    const full = data.get("full_strength_reps");
    exercise.fullStrengthReps = full === null || full === "" ? null : Math.max(0, Math.min(exercise.achievedReps, Number.parseInt(full, 10)));
    if (Number.isNaN(exercise.fullStrengthReps)) exercise.fullStrengthReps = null;
    exercise.feltLift = data.get("felt_lift") || "";
    exercise.feltClearly = data.get("felt_clearly") || "";
    if (data.has("effort")) this.effort = data.get("effort");
    exercise.pain = data.get("pain") === "yes";
    exercise.reported = true;
    this.reportFor = null;
    if (exercise.pain) {
      // S1: pain means no pelvic floor training; the round ends here and now.
      this.finish("stopped_for_pain");
      return;
    }
    if (this.reportRoundOver) {
      this.finish("finished");
      return;
    }
    this.state = "running";
    this.root.dataset.state = "running";
    this.show("run");
    this.pauseButton.focus();
    this.scheduler.resume();
  }

  // --- The end ------------------------------------------------------------------------------

  tick(force = false) {
    const scheduler = this.scheduler;
    if (!scheduler || this.state !== "running") return;
    if (!force && scheduler.msUntilNext() < DISPLAY_QUIET_BEFORE_CUE_MS) return; // a cue is about to fire
    const now = scheduler.timelineNow();
    if (this.hold) {
      const heldMs = this.heldMs();
      const held = clock((heldMs * this.options.speed) / 1000);
      if (this.slots.held.textContent !== held) this.slots.held.textContent = held;
      // Also when the target cue was skipped (a tab that slept through it): silently.
      if (heldMs >= this.hold.targetMs) this.markGoalReached();
      return;
    }
    // The phase lasts until the next cue that is not a mere "keep holding" reminder.
    let end = scheduler.nextIndex;
    while (end < this.cues.length && this.cues[end].kind === "hold") end += 1;
    const left = end < this.cues.length ? Math.max(0, this.cues[end].at_ms - now) : 0;
    const seconds = String(Math.ceil((left * this.options.speed) / 1000));
    if (this.slots.seconds.textContent !== seconds) this.slots.seconds.textContent = seconds;
  }

  finish(status) {
    if (this.roundEnded) return;
    this.roundEnded = true;
    this.status = status;
    this.endedAt = isoNow();
    if (this.hold) this.closeHold(this.cues[this.hold.relaxIndex], false);
    this.scheduler.stop();
    this.sound.cancelFuture();
    if (status !== "finished") this.voice.cancel();
    clearInterval(this.ticker);
    this.ticker = null;
    this.releaseWakeLock();
    this.state = "finished";
    if (this.leaveDialog?.open) this.leaveDialog.close("ended");
    // The round's history entry is not needed any more: one back press leaves the page again.
    if (!this.goBackWhenSaved && !this.unloading && history.state?.knipaRound === this.roundId) {
      this.leaving = true;
      history.back();
    }
    this.root.dataset.state = "finished";
    this.root.dataset.status = status;
    this.setPausedLook(false);
    this.slots["finished-heading"].textContent = this.strings.get(status);
    this.slots["finished-text"].textContent = this.strings.get(`${status}-text`);
    this.slots["pain-advice"].hidden = status !== "stopped_for_pain";
    this.show("finished");
    this.root.querySelector("#finished-heading").focus();
    const result = { status, roundId: this.roundId, cueLog: this.cueLog, skippedLog: this.skippedLog, saved: null };
    if (!this.options.record) {
      this.slots["save-status"].textContent = "";
      this.resolveFinished(result);
      return;
    }
    this.slots["save-status"].textContent = this.strings.get("saving");
    this.slots.today.hidden = true;
    // The hint to add Knipa to the home screen waits for a finished round (js/app.js).
    if (status === "finished") this.remember("roundFinished", "yes");
    this.outbox.send(this.record()).then((sent) => {
      // Kept here, but sent meanwhile from the outbox by js/app.js (the connection came back).
      const outcome = sent === "kept" && this.sentMeanwhile ? this.sentMeanwhile.outcome : sent;
      this.saveOutcome = outcome;
      this.root.dataset.saved = outcome;
      this.slots["save-status"].textContent = this.strings.get(outcome);
      this.showToday(this.outbox.answers.get(this.roundId)?.today ?? this.sentMeanwhile?.today);
      this.resolveFinished({ ...result, saved: outcome });
      // "Stop" after the back button: the person wanted to leave, and now goes, the round kept.
      if (this.goBackWhenSaved && !this.unloading) history.back();
    });
  }

  /** A round kept on this device has been sent (or refused) since: the end screen says so. */
  onRoundSent({ id, outcome, today }) {
    if (!this.roundId || id !== this.roundId || (outcome !== "saved" && outcome !== "rejected")) return;
    if (this.saveOutcome === null) {
      this.sentMeanwhile = { outcome, today }; // this page's own send has not answered yet
      return;
    }
    if (this.saveOutcome !== "kept") return;
    this.saveOutcome = outcome;
    this.root.dataset.saved = outcome;
    this.slots["save-status"].textContent = this.strings.get(outcome);
    this.showToday(today);
  }

  /**
   * "1 of 3 today": the server's count after this round (knipa.program.plan.counts_toward_today),
   * the same as on the home page. Not after a practice (E6), which is not one of the plan's rounds.
   */
  showToday(today) {
    if (!today || this.root.dataset.practice) return;
    this.slots.today.textContent = this.strings.get("today", { done: today.rounds, planned: today.planned });
    this.slots.today.hidden = false;
  }

  /** The round as POST /api/rounds takes it. */
  record() {
    const speed = this.options.speed;
    // A stopped round keeps the exercises done so far: those the round reached.
    const reached = this.status === "finished" || this.lastShown < 0
      ? this.exercises.length
      : this.cues[this.lastShown].exercise_index + 1;
    const pained = this.exercises.findLastIndex((exercise) => exercise.pain) + 1;
    return {
      id: this.roundId,
      stage: this.options.stage,
      position: this.timeline.position,
      status: this.status,
      // Pain ends the round for another reason (S1): how hard it felt is not the question then.
      effort: this.status === "stopped_for_pain" ? "" : this.effort,
      started_at: this.startedAt,
      ended_at: this.endedAt,
      exercises: this.exercises.slice(0, Math.max(1, reached, pained)).map((exercise) => ({
        exercise: exercise.exercise,
        planned_reps: exercise.reps,
        achieved_reps: exercise.achievedReps,
        planned_squeeze_seconds: exercise.squeeze_seconds,
        planned_rest_seconds: exercise.rest_seconds,
        // In the timeline's own seconds: a fast test round records what a real one would.
        held_seconds: exercise.open_ended && exercise.heldMs !== null ? Math.round((exercise.heldMs * speed) / 100) / 10 : null,
        recatches: exercise.recatches,
        full_strength_reps: exercise.fullStrengthReps === null ? null : Math.min(exercise.fullStrengthReps, exercise.achievedReps),
        felt_lift: exercise.feltLift,
        felt_clearly: exercise.feltClearly,
        pain: exercise.pain,
      })),
    };
  }
}
