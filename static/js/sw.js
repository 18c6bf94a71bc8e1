/* SI KPMI's service worker, served from /sw.js (kpmi_si/offline.py writes self.KPMI_SW in front of
   this file: the release's version, the files to keep, the outbox script's URL).
   - Static files: kept at install, from the cache first; the cache's name carries the release's
     version, so a new release's files replace the old ones when it activates.
   - Pages: always from the network; when the network fails, the copy the page script kept for the
     signed-in user (the log menu, the four logging forms, the outbox), else the outbox page.
   - Background Sync: sends the outbox when the signal returns (outbox.js's syncAll). */
"use strict";
importScripts(self.KPMI_SW.outboxScript);

var CONFIG = self.KPMI_SW;
var OUTBOX = self.KpmiOutbox;
var STATIC_CACHE = OUTBOX.STATIC + CONFIG.version;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) { return cache.addAll(CONFIG.precache); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf(OUTBOX.STATIC) === 0 && n !== STATIC_CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () {
    return self.registration.navigationPreload ? self.registration.navigationPreload.enable() : null;
  }).then(function () { return self.clients.claim(); }));
});

async function fromStatic(request) {
  var cache = await caches.open(STATIC_CACHE);
  var hit = await cache.match(request);
  if (hit) return hit;
  var response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

async function keptPage(url) {
  var user = await OUTBOX.store.meta("user").catch(function () { return null; });
  if (user === null) return null;
  var cache = await caches.open(OUTBOX.PAGES + user);
  var config = await OUTBOX.store.meta("config").catch(function () { return null; });
  return (await cache.match(url)) || (await cache.match(url, { ignoreSearch: true })) ||
    (config ? await cache.match(config.outboxUrl) : null);
}

async function page(event) {
  try {
    var preloaded = await event.preloadResponse;
    if (preloaded) return preloaded;
    return await fetch(event.request);
  } catch (error) {
    var kept = await keptPage(event.request.url);
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || request.method !== "GET") return;
  if (url.pathname.indexOf(CONFIG.staticUrl) === 0) event.respondWith(fromStatic(request));
  else if (request.mode === "navigate") event.respondWith(page(event));
});

async function sync() {
  var result = await OUTBOX.syncAll();
  var pages = await self.clients.matchAll({ type: "window" });
  pages.forEach(function (client) { client.postMessage({ type: "synced", result: result }); });
  // Background Sync tries again later when the sending failed for want of a network.
  if (result.offline) throw new Error("still offline");
}

self.addEventListener("sync", function (event) {
  if (event.tag === OUTBOX.SYNC_TAG) event.waitUntil(sync());
});
