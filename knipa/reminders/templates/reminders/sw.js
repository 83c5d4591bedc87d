{% load static %}// Knipa's service worker, served from /sw.js so that its scope is the whole site. It does two jobs:
//
// 1. Reminders (spec H1): shows those that arrive by Web Push, and opens the next round when one
//    is tapped, or snoozes it.
// 2. Offline use (issue 15): it keeps the files of one release and the pages the person has seen,
//    so that the home page, the player with today's round, the guide and the history open with no
//    connection. Pages that need the server get a translated page that says so.
//
// Releases. RELEASE is a digest of the static files' manifest (knipa/reminders/service_worker.py):
// a new release changes this file's bytes, and the browser installs the new worker beside the old
// one. The new worker keeps its own files in caches named after its release. It takes over only
// when no page of the old release is open (the browser's rule for a waiting worker; or at once
// when a page of the new release is the only one open, see "take-over"), and then deletes the old
// caches. So a page and the hashed files it names always come from one release: an old page, still
// open, finds its old files in the old caches, and after the change every navigation fetches fresh
// HTML first.
//
// What is kept, and for whom. Pages are kept as they were sent to this browser, personal ones too,
// although the server marks those `Cache-Control: no-store`: that header is for HTTP caches, and
// keeping them here, on the person's own device, is what makes them open offline (the privacy
// page says so). They are deleted when someone logs in, logs out, starts anew or deletes their
// account on this browser (the form's POST passes through here), and when a page says nobody is
// logged in, so that the next person on a shared phone or computer never sees them.
//
// Never kept: anything but GET, the JSON API (the player keeps its own round, below), other sites.
"use strict";

const RELEASE = "{{ release }}";
const SHELL = `knipa-shell-${RELEASE}`;
const PAGES = `knipa-pages-${RELEASE}`;
const PRECACHE = {{ precache_json|safe }};
const OFFLINE = "{% url 'content:offline' %}";
const STATIC_PREFIX = "{% get_static_prefix %}";
const ICON = "{% static 'knipa/img/knipa.svg' %}";
// The round the player plays (GET /api/timeline), kept beside the player's page so that today's
// round can be trained offline; the player reads it from here when the network fails.
const TIMELINE = "{% url 'api:get_timeline' %}";
const PLAYER = "{% url 'training:player' %}";
// The pages kept for offline use: the home page, the player, the history and its rounds, the guide.
const HOME = "{% url 'today:home' %}";
const HISTORY = "{% url 'training:history' %}";
const GUIDE = "{% url 'guide:index' %}";
const KEPT = [
  (path) => path === HOME || path === PLAYER || path === HISTORY || path === GUIDE,
  (path) => path.startsWith(GUIDE) && /^[-\w]+\/$/.test(path.slice(GUIDE.length)),
  (path) => path.startsWith(HISTORY) && /^[0-9a-f-]{36}\/$/.test(path.slice(HISTORY.length)),
];
// Forms after which this browser may belong to someone else: the kept pages go.
const CHANGES_PERSON = new Set([
  "{% url 'accounts:login' %}", "{% url 'accounts:logout' %}", "{% url 'accounts:begin' %}",
  "{% url 'accounts:delete' %}",
  // A clinician's sign-in logs in at its second step (knipa/clinicians/signin.py).
  "{% url 'clinicians:code' %}", "{% url 'clinicians:enrol' %}",
]);
// A navigation waits this long for the network before a kept copy is shown (a slow phone network);
// without a kept copy it waits for the network as long as the browser does.
const NETWORK_PATIENCE_MS = 3000;

// --- Installing, taking over ------------------------------------------------------------------

async function knipaCaches() {
  return (await caches.keys()).filter((name) => name.startsWith("knipa-"));
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const shell = await caches.open(SHELL);
    await shell.addAll([...PRECACHE, OFFLINE]);
    // With no earlier release's files kept there is nothing to mix up: take over at once (the
    // first visit, or a browser that had only the reminders' worker). Otherwise wait.
    const earlier = (await knipaCaches()).filter((name) => name !== SHELL && name !== PAGES);
    if (!earlier.length) await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await knipaCaches()) {
      if (name !== SHELL && name !== PAGES) await caches.delete(name);
    }
    // The pages open now, loaded before this worker, are its own from now on; each asks to be
    // kept too ("keep", from js/app.js), so that the page of the first visit opens offline.
    await self.clients.claim();
  })());
});

// A page of the new release asks the waiting worker to take over when it is the only page open:
// no page of the old release is left to need the old files.
async function takeOver(stylesheet) {
  if (!PRECACHE.includes(new URL(stylesheet, self.location.origin).pathname)) return;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  if (windows.length <= 1) await self.skipWaiting();
}

// --- Pages ------------------------------------------------------------------------------------

function isKept(url) {
  return url.origin === self.location.origin && KEPT.some((test) => test(url.pathname));
}

function timelineFor(pageUrl) {
  const practice = pageUrl.searchParams.get("practice");
  return new URL(practice === "daily_life" ? `${TIMELINE}?practice=daily_life` : TIMELINE, self.location.origin);
}

async function keep(url, response) {
  if (!response.ok || response.redirected || response.type !== "basic") return;
  if (!(response.headers.get("Content-Type") || "").startsWith("text/html")) return;
  const pages = await caches.open(PAGES);
  await pages.put(url.href, response);
  if (url.pathname === PLAYER) {
    try {
      const timeline = await fetch(timelineFor(url), { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (timeline.ok) await pages.put(timelineFor(url).href, timeline);
    } catch {
      // Offline again already: the round kept before stays.
    }
  }
}

async function keepFresh(url) {
  if (!isKept(url)) return;
  try {
    await keep(url, await fetch(url.href, { credentials: "same-origin", redirect: "manual" }));
  } catch {
    // Not reachable now: kept on the next visit.
  }
}

// The offline page, as it was sent (200): it says in words what happened, and the browser has
// nothing to report as a failed load.
async function offlinePage() {
  return (await caches.match(OFFLINE, { cacheName: SHELL })) || Response.error();
}

// The offline page is kept in the language of the page the person last opened.
async function followLanguage(response) {
  const language = response.headers.get("Content-Language");
  const kept = await caches.match(OFFLINE, { cacheName: SHELL });
  if (!language || (kept && kept.headers.get("Content-Language") === language)) return;
  try {
    const fresh = await fetch(OFFLINE, { credentials: "same-origin" });
    if (fresh.ok) await (await caches.open(SHELL)).put(OFFLINE, fresh);
  } catch {
    // Offline: the page in the earlier language is better than none.
  }
}

// Network first. A page that is kept is stored again each time it comes, and shown from the
// cache when the network fails, or is slow and a copy exists; any other page, offline, gets the
// offline page.
async function navigate(event) {
  const request = event.request;
  const url = new URL(request.url);
  const kept = isKept(url);
  const network = fetch(request).then((response) => {
    if (kept) event.waitUntil(keep(url, response.clone()));
    if (response.ok) event.waitUntil(followLanguage(response));
    return response;
  });
  network.catch(() => {}); // a failure is answered below, whichever promise meets it first
  const fallback = async () => (kept && (await caches.match(url.href, { cacheName: PAGES, ignoreVary: true }))) || null;
  let timer;
  const slow = new Promise((resolve) => {
    timer = setTimeout(resolve, NETWORK_PATIENCE_MS);
  });
  try {
    const first = await Promise.race([network, slow.then(fallback)]);
    if (first) return first;
    return await network; // slow, and nothing kept: wait for the network after all
  } catch {
    return (await fallback()) || offlinePage();
  } finally {
    clearTimeout(timer);
  }
}

// Forms: sent as they are, never kept. Offline, the offline page says why nothing happened.
async function submit(event) {
  const url = new URL(event.request.url);
  if (CHANGES_PERSON.has(url.pathname)) await forgetPages({ all: true });
  try {
    return await fetch(event.request);
  } catch {
    return offlinePage();
  }
}

// Hashed static files never change: the cache first, then the network (and kept for next time).
async function staticFile(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    const copy = response.clone();
    caches.open(SHELL).then((shell) => shell.put(request, copy));
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(request.method === "GET" ? navigate(event) : submit(event));
    return;
  }
  if (request.method === "GET" && url.pathname.startsWith(STATIC_PREFIX)) event.respondWith(staticFile(request));
  // Everything else (the API, forms sent by scripts) goes to the network untouched.
});

// The kept pages go: all of them (someone else may use this browser next), or only the personal
// ones (the server marks those `private`), when a page says nobody is logged in.
async function forgetPages({ all }) {
  for (const name of await knipaCaches()) {
    if (!name.startsWith("knipa-pages-")) continue;
    if (all) {
      await caches.delete(name);
      continue;
    }
    const pages = await caches.open(name);
    for (const request of await pages.keys()) {
      const response = await pages.match(request);
      if (!response || /private|no-store/.test(response.headers.get("Cache-Control") || "")) await pages.delete(request);
    }
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "signed-out") event.waitUntil(forgetPages({ all: false }));
  if (data.type === "keep" && event.source && event.source.url) {
    // A page that came while this worker was being installed: its own from now on, and kept.
    event.waitUntil(self.clients.claim().then(() => keepFresh(new URL(event.source.url))));
  }
  if (data.type === "take-over" && typeof data.stylesheet === "string") event.waitUntil(takeOver(data.stylesheet));
});

// --- Reminders (spec H1) ----------------------------------------------------------------------

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  const options = {
    body: data.body || "",
    // One notification per reminder: the same reminder sent twice replaces itself.
    tag: data.tag || "knipa-reminder",
    lang: data.lang || "sv",
    icon: ICON,
    data: { url: data.url || PLAYER, snooze: data.snooze || "" },
    actions: data.snooze && data.snoozeLabel ? [{ action: "snooze", title: data.snoozeLabel }] : [],
  };
  event.waitUntil(self.registration.showNotification(data.title || "Knipa", options));
});

async function openRound(url) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) {
    if (new URL(client.url).pathname === url && "focus" in client) return client.focus();
  }
  return self.clients.openWindow(url);
}

// "Remind me in 30 minutes". The token works once; when the server does not snooze (already
// snoozed from another device, or too old), its plain answer is shown in place of the reminder,
// so the person does not count on a reminder that will not come.
async function snoozeReminder(token, tag) {
  let response;
  try {
    response = await fetch("{% url 'reminders:snooze_token' %}", {
      method: "POST",
      body: new URLSearchParams({ token }),
      credentials: "same-origin",
    });
  } catch {
    return; // offline: nothing to say that the person could act on
  }
  if (response.ok) return;
  let answer = {};
  try {
    answer = await response.json();
  } catch {
    answer = {};
  }
  if (answer.detail) await self.registration.showNotification(answer.detail, { tag, icon: ICON });
}

self.addEventListener("notificationclick", (event) => {
  const { url, snooze } = event.notification.data || {};
  event.notification.close();
  if (event.action === "snooze" && snooze) {
    event.waitUntil(snoozeReminder(snooze, event.notification.tag));
    return;
  }
  event.waitUntil(openRound(url || PLAYER));
});
