// The hint to add Knipa to the home screen (base.html's template #install-hint, on the home page;
// js/app.js loads this there). Shown after a round finished on this device, where the browser can
// install Knipa: Chromium (its install prompt, `beforeinstallprompt`, behind our button) or Safari
// on an iPhone or iPad (told where to tap: there is no prompt to call). Never in the installed app,
// and one answer is enough: "No, thanks", the browser's own "cancel", or installing it, and the
// hint is not shown again on this device. No nagging.

const ANSWER = "knipa.install.hint";

function remembered(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function rememberAnswer(answer) {
  try {
    localStorage.setItem(ANSWER, answer);
  } catch {
    // Nowhere to remember it: the hint may come back on the next visit to the home page.
  }
}

function close(hint) {
  const hadFocus = hint.contains(document.activeElement);
  hint.remove();
  if (hadFocus) document.getElementById("main")?.focus({ preventScroll: true });
}

function installed() {
  return matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
}

function apple() {
  return /iPhone|iPad|iPod/.test(navigator.userAgent) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
}

addEventListener("appinstalled", () => {
  rememberAnswer("installed");
  document.querySelector(".install-hint")?.remove();
});

/** Show the hint, if it may be; `prompt` is the browser's install prompt, if it gave one. */
export function offer(prompt) {
  if (remembered("knipa.player.roundFinished") !== "yes" || remembered(ANSWER) || installed()) return;
  if (!prompt && !apple()) return; // this browser cannot install Knipa, or not from a page
  const shown = document.querySelector(".install-hint");
  const hint = shown || document.getElementById("install-hint").content.firstElementChild.cloneNode(true);
  const install = hint.querySelector("[data-install=prompt]");
  install.hidden = !prompt;
  hint.querySelector("[data-install=ios]").hidden = Boolean(prompt);
  install.onclick = async () => {
    prompt.prompt();
    const choice = await prompt.userChoice;
    rememberAnswer(choice.outcome === "accepted" ? "installed" : "dismissed");
    close(hint);
  };
  if (shown) return;
  hint.querySelector("[data-install=dismiss]").addEventListener("click", () => {
    rememberAnswer("dismissed");
    close(hint);
  });
  // Below what to do today, where a person who has just trained looks next.
  const start = document.querySelector("main .card--start");
  if (start) start.after(hint);
  else document.getElementById("main").append(hint);
}
