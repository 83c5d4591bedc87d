// On every page (base.html), so small: the service worker (/sw.js), the rounds waiting on this
// device, the hint to add Knipa to the home screen. Why and how: docs/architecture.md,
// "Installable and offline".
// Other modules take the registration from here: `import { worker } from "./app.js"`.

const person = document.body.dataset; // base.html: data-signed-in, data-profile (the outbox entries' owner), data-rounds-url

// --- The service worker: registered once the page has loaded and the browser is idle --------------

function whenIdle(task) {
  const later = () => ("requestIdleCallback" in window ? requestIdleCallback(task, { timeout: 3000 }) : setTimeout(task, 300));
  if (document.readyState === "complete") later();
  else addEventListener("load", later, { once: true });
}

// Offline there is no new worker to look for: the one there is.
const register = () => (navigator.onLine ? navigator.serviceWorker.register("/sw.js") : navigator.serviceWorker.ready);

/** The service worker's registration (null where the browser has none). */
export const worker = "serviceWorker" in navigator
  ? new Promise((resolve, reject) => whenIdle(() => register().then(resolve, reject)))
  : Promise.resolve(null);

// A waiting worker of a new release takes over at once if this page is of that release (it keeps
// this stylesheet) and the only one open: nothing of the old release is left to mix with.
function offerTakeOver(waiting) {
  const stylesheet = document.querySelector("link[rel=stylesheet]")?.getAttribute("href");
  if (waiting && stylesheet) waiting.postMessage({ type: "take-over", stylesheet });
}

// A page that did not come through the worker (the first visit, or while the worker was being
// installed), or that a new release's worker takes over, asks that worker to keep it (sw.js,
// "keep"): so the page of the first visit opens offline too. Once per worker.
let askedToKeep = null;
function keepMe(worker) {
  if (!worker || worker === askedToKeep) return;
  askedToKeep = worker;
  worker.postMessage({ type: "keep" });
}
const cameThroughWorker = performance.getEntriesByType("navigation")[0]?.workerStart > 0;
navigator.serviceWorker?.addEventListener("controllerchange", () => keepMe(navigator.serviceWorker.controller));
if (!cameThroughWorker) keepMe(navigator.serviceWorker?.controller);

worker.then((registration) => {
  if (!registration) return;
  if (!cameThroughWorker) navigator.serviceWorker.ready.then((ready) => keepMe(ready.active));
  offerTakeOver(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const installing = registration.installing;
    installing?.addEventListener("statechange", () => installing.state === "installed" && offerTakeOver(installing));
  });
  // Nobody is logged in here: the personal pages kept for offline use go (a shared device). The
  // offline page, the same for everyone, cannot tell.
  if (!("signedIn" in person) && !("offlinePage" in person)) registration.active?.postMessage({ type: "signed-out" });
}, () => {}); // blocked by the browser's settings: Knipa works online as before

// --- Rounds trained offline: sent once from any page, on load and when the connection returns ------

let outbox = null;

async function sendWaitingRounds() {
  const owner = person.profile;
  if (!owner || !navigator.onLine) return;
  try {
    if (!JSON.parse(localStorage.getItem("knipa.outbox.rounds") || "[]").some((entry) => String(entry?.owner) === owner)) return;
  } catch {
    return;
  }
  const { RoundOutbox } = await import("./player/outbox.js");
  const csrfToken = document.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
  outbox ??= new RoundOutbox({ url: person.roundsUrl, csrfToken, owner });
  await outbox.flush();
}

sendWaitingRounds();
addEventListener("online", sendWaitingRounds);

// --- The hint to add Knipa to the home screen: install.js, on the home page only ----------------

let installPrompt = null;
function offerInstall() {
  try {
    if (localStorage.getItem("knipa.player.roundFinished") !== "yes") return; // not before a finished round
  } catch {
    return;
  }
  if (document.getElementById("install-hint")) import("./install.js").then(({ offer }) => offer(installPrompt));
}

addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault(); // no banner of the browser's own: Knipa asks once, after a finished round
  installPrompt = event;
  offerInstall();
});
offerInstall();
