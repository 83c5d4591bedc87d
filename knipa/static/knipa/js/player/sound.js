// The cue sounds: short oscillator tones, scheduled on the AudioContext clock ahead of time.
//
// A timer callback can be late (a busy CPU, a throttled background tab); a tone scheduled on the
// audio clock is not. So when the scheduler arms the next cue, the tone of that cue (and of any
// cue due shortly after it) is scheduled at once for its exact due time, mapped from the
// performance.now() clock onto the audio clock. If the schedule then changes (a pause, an
// endurance hold that ends early), every tone not yet started is cancelled and scheduled anew.
//
// Squeeze and release sound clearly different: a higher rising pair of tones for the squeeze, a
// lower falling one for the release, so the round can be followed with the eyes closed.

const TONES = {
  squeeze: [
    { hz: 660, at: 0, length: 0.12 },
    { hz: 880, at: 0.13, length: 0.18 },
  ],
  relax: [
    { hz: 440, at: 0, length: 0.14 },
    { hz: 330, at: 0.15, length: 0.26 },
  ],
  get_ready: [{ hz: 523, at: 0, length: 0.2 }],
  next_exercise: [{ hz: 523, at: 0, length: 0.2 }],
  rest: [{ hz: 392, at: 0, length: 0.3 }],
  done: [
    { hz: 523, at: 0, length: 0.16 },
    { hz: 659, at: 0.18, length: 0.16 },
    { hz: 784, at: 0.36, length: 0.34 },
  ],
  // `hold` is a spoken and shown reminder only: a tone one second into every hold would be noise.
  // The goal of an endurance hold (E3) is the exception: a short bright chime, to celebrate it
  // with the eyes closed while the hold goes on.
  target_reached: [
    { hz: 784, at: 0, length: 0.1 },
    { hz: 1047, at: 0.11, length: 0.24 },
  ],
};

const VOLUME = 0.25;

export class CueSounds {
  constructor() {
    this.context = null;
    this.enabled = true;
    this.pending = new Map(); // key -> {startAt (audio s), nodes}, until the tone has ended
    this.sounded = new Set(); // every key scheduled or played and not cancelled
  }

  get available() {
    return typeof window.AudioContext === "function" || typeof window.webkitAudioContext === "function";
  }

  /** Create or wake the AudioContext. Call from a user gesture (a click on Start). */
  unlock() {
    if (!this.available) return;
    if (this.context === null) {
      const Context = window.AudioContext || window.webkitAudioContext;
      try {
        this.context = new Context({ latencyHint: "interactive" });
      } catch (error) {
        this.context = null;
        return;
      }
    }
    if (this.context.state === "suspended") {
      this.context.resume().catch(() => {});
    }
  }

  hasToneFor(kind) {
    return Object.hasOwn(TONES, kind);
  }

  isScheduled(key) {
    return this.sounded.has(key);
  }

  /** Map a performance.now() time (ms) onto the audio clock (s). */
  audioTimeFor(perfMs) {
    const context = this.context;
    if (typeof context.getOutputTimestamp === "function") {
      const stamp = context.getOutputTimestamp();
      if (stamp && stamp.performanceTime > 0 && stamp.contextTime > 0) {
        return stamp.contextTime + (perfMs - stamp.performanceTime) / 1000;
      }
    }
    return context.currentTime + (perfMs - performance.now()) / 1000;
  }

  /** Schedule the tone `kind` (a cue's kind, or target_reached) to start at `perfMs` (performance.now() clock). */
  schedule(key, kind, perfMs) {
    if (!this.enabled || this.context === null || !this.hasToneFor(kind) || this.sounded.has(key)) return;
    const context = this.context;
    const startAt = Math.max(context.currentTime, this.audioTimeFor(perfMs));
    const nodes = [];
    for (const tone of TONES[kind]) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      const begin = startAt + tone.at;
      const end = begin + tone.length;
      oscillator.type = "sine";
      oscillator.frequency.setValueAtTime(tone.hz, begin);
      // A soft attack and release: no clicks.
      gain.gain.setValueAtTime(0.0001, begin);
      gain.gain.exponentialRampToValueAtTime(VOLUME, begin + 0.015);
      gain.gain.exponentialRampToValueAtTime(0.0001, end);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(begin);
      oscillator.stop(end + 0.02);
      nodes.push({ oscillator, gain });
    }
    const entry = { startAt, nodes };
    this.pending.set(key, entry);
    this.sounded.add(key);
    nodes[nodes.length - 1].oscillator.onended = () => {
      if (this.pending.get(key) === entry) this.pending.delete(key);
    };
  }

  /** Play the tone of `kind` now (a cue whose tone was not scheduled ahead). */
  playNow(key, kind) {
    this.schedule(key, kind, performance.now());
  }

  /** Cancel every tone that has not started yet. */
  cancelFuture() {
    if (this.context === null) {
      this.pending.clear();
      this.sounded.clear();
      return;
    }
    const now = this.context.currentTime;
    for (const [key, entry] of this.pending) {
      if (entry.startAt > now + 0.005) {
        for (const { oscillator, gain } of entry.nodes) {
          oscillator.onended = null;
          try {
            oscillator.stop();
          } catch (error) {
            // Already stopped.
          }
          oscillator.disconnect();
          gain.disconnect();
        }
        this.pending.delete(key);
        this.sounded.delete(key);
      }
    }
  }

  close() {
    this.cancelFuture();
    if (this.context !== null) {
      this.context.close().catch(() => {});
      this.context = null;
    }
  }
}
