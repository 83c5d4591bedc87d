{% load static %}// Knipa's service worker: shows reminders that arrive by Web Push (spec H1) and opens the next
// round when one is tapped. Served from /sw.js so that its scope is the whole site.
"use strict";

const ICON = "{% static 'knipa/img/knipa.svg' %}";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

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
    data: { url: data.url || "/train/", snooze: data.snooze || "" },
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
    response = await fetch("/reminders/snooze/", {
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
  event.waitUntil(openRound(url || "/train/"));
});
