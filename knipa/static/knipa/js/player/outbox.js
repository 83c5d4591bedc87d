// Saving rounds: POST /api/rounds, and if that fails (offline, a server hiccup) keep the round in
// localStorage and send it again on the next page load or when the browser comes back online:
// js/app.js does that on every page, loading this module only when a round waits.
//
// The round id is made in the browser before the round starts, and the server stores an id once,
// so sending a round twice (a retry after an answer that got lost) is always safe.
//
// Each kept round is tagged with its owner, so that if another person logs in on this browser,
// the first person's rounds are never sent into the other's account.

const KEY = "knipa.outbox.rounds";
// Every outcome of a kept round is told here, so that the end of the round, in this tab or
// another, can say it has been sent (player.js).
export const SENT_CHANNEL = "knipa.rounds.sent";
// One tab at a time sends the kept rounds: a second tab that comes online at the same moment finds
// them sent already. (The server stores a round once by its id all the same.)
const LOCK = "knipa.outbox";
// Answers that mean "this exact request will never be accepted": drop the round, don't retry.
const REJECTED = new Set([400, 404, 409, 413, 422]);

function readAll() {
  try {
    const parsed = JSON.parse(window.localStorage.getItem(KEY) || "[]");
    return Array.isArray(parsed) ? parsed : [];
  } catch (error) {
    return [];
  }
}

function writeAll(entries) {
  try {
    if (entries.length) window.localStorage.setItem(KEY, JSON.stringify(entries));
    else window.localStorage.removeItem(KEY);
    return true;
  } catch (error) {
    return false;
  }
}

function tell(message) {
  if (!("BroadcastChannel" in window)) return;
  const channel = new BroadcastChannel(SENT_CHANNEL);
  channel.postMessage(message);
  channel.close();
}

/** Whether a round of this owner waits in this browser (cheap: no module to load, no request). */
export function waiting(owner) {
  return readAll().some((entry) => entry.owner === String(owner));
}

export class RoundOutbox {
  constructor({ url, csrfToken, owner }) {
    this.url = url;
    this.csrfToken = csrfToken;
    this.owner = String(owner);
    this.flushing = null;
    // What the server answered for each round saved from this page (POST /api/rounds), by id:
    // the end of the round reads today's count from it.
    this.answers = new Map();
  }

  keep(round) {
    const entries = readAll().filter((entry) => entry.round?.id !== round.id);
    entries.push({ owner: this.owner, round, kept_at: new Date().toISOString() });
    return writeAll(entries);
  }

  forget(id) {
    writeAll(readAll().filter((entry) => entry.round?.id !== id));
  }

  pending() {
    return readAll().filter((entry) => entry.owner === this.owner).map((entry) => entry.round);
  }

  async post(round) {
    const response = await fetch(this.url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": this.csrfToken,
      },
      body: JSON.stringify(round),
      keepalive: true, // the person may follow a link before the answer comes
    });
    if (response.status === 200 || response.status === 201) {
      try {
        this.answers.set(round.id, await response.json());
      } catch (error) {
        // The round is saved all the same; only the answer's details are missing.
      }
    }
    return response.status;
  }

  /**
   * Save a round. Answers "saved" (the server has it), "kept" (not sent now; kept for a retry)
   * or "rejected" (the server refused it for good; not kept).
   */
  async send(round) {
    // Kept first, so that a page closed while the request is under way still sends it later.
    this.keep(round);
    let status;
    try {
      status = await this.post(round);
    } catch (error) {
      return "kept";
    }
    if (status === 200 || status === 201) {
      this.forget(round.id);
      tell({ id: round.id, outcome: "saved", today: this.answers.get(round.id)?.today || null });
      return "saved";
    }
    if (REJECTED.has(status)) {
      this.forget(round.id);
      console.warn(`Knipa: the server refused round ${round.id} (HTTP ${status}).`);
      tell({ id: round.id, outcome: "rejected" });
      return "rejected";
    }
    return "kept"; // 401/403 (logged out, stale token), 5xx, 429: try again later.
  }

  /** Send every kept round of this owner; resolves to the number that were saved. */
  flush() {
    if (this.flushing) return this.flushing;
    const sendAll = async () => {
      let saved = 0;
      for (const round of this.pending()) {
        if ((await this.send(round)) === "saved") saved += 1;
      }
      return saved;
    };
    this.flushing = (navigator.locks ? navigator.locks.request(LOCK, sendAll) : sendAll()).finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }
}
