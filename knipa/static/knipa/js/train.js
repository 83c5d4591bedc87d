// The player page's first script (training/player.html), light for a phone's first visit (issue
// 15, bench/page_weight.py). It makes the first screen work: the toggles and the position kept in
// this browser, and Start. The round (player.js: scheduler, sounds, voice) loads at the person's
// first touch, key or focus on the player, so it is there when Start is pressed and the round
// starts inside that click, where browsers let sound begin. Offline, sw.js has it.
//
// For tests and the benchmark: window.knipaPlayer = {player, cueLog, skippedLog, playTimeline}.

const PREFIX = "knipa.player.";

function read(key) {
  try {
    return localStorage.getItem(PREFIX + key);
  } catch {
    return null; // storage may be blocked (private mode, a strict setting): use the default
  }
}

function remember(key, value) {
  try {
    localStorage.setItem(PREFIX + key, value);
  } catch {
    // not remembered this time; the choice still holds for this page
  }
}

const root = document.getElementById("player");
// The toggles (sound, voice, vibration, shortcuts) as they are now: handed to the round.
const settings = {};
let player = null;
let loading = null;

function loadPlayer() {
  loading ??= import("./player.js").then(({ Player }) => {
    player = new Player(root, { settings, remember });
    return player;
  });
  return loading;
}

function loadFailed() {
  // Offline before the round was ever kept: say so, and try again at the next Start.
  loading = null;
  const error = root.querySelector("#player-setup-error");
  const text = root.querySelector("#player-strings")?.content.querySelector("[data-key=load-failed]");
  error.textContent = text ? text.textContent.trim() : "";
  error.hidden = false;
}

function applySetting(name, on) {
  settings[name] = on;
  if (name === "shortcuts") root.classList.toggle("shortcuts-off", !on);
  player?.applySetting(name, on);
}

if (root) {
  const form = root.querySelector("#player-setup-form");
  if (typeof navigator.vibrate !== "function") root.querySelector("[data-slot=vibration-setting]")?.setAttribute("hidden", "");
  for (const box of root.querySelectorAll("#player-settings input[type=checkbox][data-setting]")) {
    const stored = read(box.dataset.setting);
    if (stored !== null) box.checked = stored === "on";
    applySetting(box.dataset.setting, box.checked);
    box.addEventListener("change", () => {
      remember(box.dataset.setting, box.checked ? "on" : "off");
      applySetting(box.dataset.setting, box.checked);
    });
  }
  const position = read("position");
  const kept = position && form.querySelector(`input[name=position][value="${CSS.escape(position)}"]`);
  if (kept) kept.checked = true;

  const getReady = () => loadPlayer().catch(() => {}); // a failure is told at Start
  for (const type of ["pointerdown", "keydown", "focusin"]) root.addEventListener(type, getReady, { once: true, passive: true });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (player) player.startFromSetup();
    else loadPlayer().then((loaded) => loaded.startFromSetup(), loadFailed);
  });

  window.knipaPlayer = {
    get player() {
      return player;
    },
    get cueLog() {
      return player ? player.cueLog : [];
    },
    get skippedLog() {
      return player ? player.skippedLog : [];
    },
    playTimeline: (timeline, options) => loadPlayer().then((loaded) => loaded.playTimeline(timeline, options)),
  };
}
