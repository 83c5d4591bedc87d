// The reminders page: turning Web Push notifications on and off in this browser (spec H1).
// The browser's permission is asked only when the person presses the button. The service worker
// is registered in one place, js/app.js (every page), and taken from there.

import { worker } from "./app.js";

const section = document.getElementById("push");

function strings() {
  const map = new Map();
  for (const span of document.getElementById("push-strings").content.querySelectorAll("[data-key]")) {
    map.set(span.dataset.key, span.textContent.trim());
  }
  return map;
}

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function keyBytes(base64url) {
  const padded = base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (base64url.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

function browserLabel() {
  const agent = navigator.userAgent;
  const browser = /Edg\//.test(agent) ? "Edge" : /Firefox\//.test(agent) ? "Firefox" : /Chrome\//.test(agent) ? "Chrome" : /Safari\//.test(agent) ? "Safari" : "Browser";
  const system = /Android/.test(agent) ? "Android" : /iPhone|iPad/.test(agent) ? "iOS" : /Mac OS/.test(agent) ? "macOS" : /Windows/.test(agent) ? "Windows" : /Linux/.test(agent) ? "Linux" : "";
  return system ? `${browser}, ${system}` : browser;
}

async function post(url, body, { allow = [] } = {}) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(body),
  });
  if (!response.ok && response.status !== 204 && !allow.includes(response.status)) {
    throw new Error(`HTTP ${response.status}`);
  }
  return response;
}

async function setUp() {
  if (!section) return;
  const text = strings();
  const status = section.querySelector("[data-slot=push-status]");
  const enable = section.querySelector("[data-action=enable-push]");
  const disable = section.querySelector("[data-action=disable-push]");
  const say = (key) => {
    status.textContent = text.get(key) || "";
  };
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("unsupported");
    return;
  }
  let registration;
  try {
    registration = await worker;
  } catch {
    registration = null;
  }
  if (!registration) {
    say("unsupported");
    return;
  }
  const current = await registration.pushManager.getSubscription();
  enable.hidden = Boolean(current);
  disable.hidden = !current;
  if (Notification.permission === "denied") say("denied");

  enable.addEventListener("click", async () => {
    say("working");
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        say("denied");
        return;
      }
      const ready = await navigator.serviceWorker.ready;
      const options = { userVisibleOnly: true, applicationServerKey: keyBytes(section.dataset.applicationServerKey) };
      let subscription = await ready.pushManager.subscribe(options);
      const answer = await post("/api/push/subscriptions", { ...subscription.toJSON(), label: browserLabel() },
        { allow: [409] });
      if (answer.status === 409) {
        // This browser's subscription is someone else's, who used it before: a new subscription
        // has a new endpoint, this person's own. (The old one then ends at the push service.)
        await subscription.unsubscribe();
        subscription = await ready.pushManager.subscribe(options);
        await post("/api/push/subscriptions", { ...subscription.toJSON(), label: browserLabel() });
      }
      say("enabled");
      window.location.reload();
    } catch {
      say("failed");
    }
  });

  disable.addEventListener("click", async () => {
    try {
      const subscription = await registration.pushManager.getSubscription();
      if (subscription) {
        await post("/api/push/subscriptions/remove", { endpoint: subscription.endpoint });
        await subscription.unsubscribe();
      }
      say("disabled");
      window.location.reload();
    } catch {
      say("failed");
    }
  });
}

setUp();
