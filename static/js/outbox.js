/* SI KPMI: logging work without a signal (README "Offline logging").

   One file for the page and for the service worker (static/js/sw.js imports it):
   - the outbox in IndexedDB: entries queued on this phone, each with the idempotency key made here,
     the form's fields and its photos (downscaled here before they are kept);
   - sending them, one at a time, to the logging form's JSON twin (`.../kirim/`), which runs the
     online form's rules and service: accepted entries leave the outbox, refused ones stay with the
     form's messages, and a retry after a lost answer creates nothing (the key is stored once);
   - on pages (not in the worker): the indicator, the outbox page, queueing a form sent offline,
     editing a queued entry, keeping the pages and lists for offline use, clearing it all at logout.
   Browsers without service workers or IndexedDB keep the normal forms: nothing here runs for them. */
(function (root) {
  "use strict";
  var DB_NAME = "kpmi-offline";
  var SYNC_TAG = "kpmi-outbox";
  var PAGES = "kpmi-pages-u"; // + the user's id: the pages kept for that user only
  var STATIC = "kpmi-static-"; // + the release's version
  var MAX_SIDE = 1600; // photos are kept at most this many pixels wide or high
  var STALE_MS = 6 * 60 * 60 * 1000; // kept pages and lists are refreshed when older than this

  // --- IndexedDB -------------------------------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        req.result.createObjectStore("outbox", { keyPath: "id" });
        req.result.createObjectStore("meta", { keyPath: "key" });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  // Runs fn(store) in a transaction; resolves with fn's request's result once the transaction is
  // committed (so a full disk, which aborts it with QuotaExceededError, rejects: nothing is lost
  // silently).
  function tx(name, mode, fn) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(name, mode);
        var req;
        try { req = fn(t.objectStore(name)); } catch (e) { db.close(); reject(e); return; }
        t.oncomplete = function () { db.close(); resolve(req ? req.result : undefined); };
        t.onerror = t.onabort = function () { db.close(); reject(t.error || (req && req.error)); };
      });
    });
  }

  var store = {
    entries: function (user) {
      return tx("outbox", "readonly", function (s) { return s.getAll(); }).then(function (all) {
        return all.filter(function (e) { return e.user === user; })
          .sort(function (a, b) { return a.created - b.created; });
      });
    },
    get: function (id) { return tx("outbox", "readonly", function (s) { return s.get(id); }); },
    put: function (entry) { return tx("outbox", "readwrite", function (s) { return s.put(entry); }); },
    remove: function (id) { return tx("outbox", "readwrite", function (s) { return s.delete(id); }); },
    meta: function (key) {
      return tx("meta", "readonly", function (s) { return s.get(key); }).then(function (r) { return r ? r.value : null; });
    },
    setMeta: function (key, value) {
      return tx("meta", "readwrite", function (s) { return s.put({ key: key, value: value }); });
    },
  };

  function uuid() {
    if (root.crypto && root.crypto.randomUUID) return root.crypto.randomUUID();
    var b = root.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // --- sending ---------------------------------------------------------------------------------
  function withLock(fn) {
    // One sending at a time across tabs and the worker; the key makes a double sending harmless anyway.
    if (root.navigator && root.navigator.locks) return root.navigator.locks.request("kpmi-outbox-sync", fn);
    return fn();
  }

  async function fetchLists(config) {
    var response = await fetch(config.listsUrl, {
      credentials: "same-origin", redirect: "manual", headers: { Accept: "application/json" },
    });
    if (response.type === "opaqueredirect" || response.status === 401 || response.status === 302) return { login: true };
    if (!response.ok) return { error: true };
    var data = await response.json();
    await store.setMeta("lists-u" + data.user, { at: Date.now(), data: data });
    return { data: data };
  }

  function formData(entry) {
    var body = new FormData();
    entry.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    (entry.files || []).forEach(function (f) { body.append(entry.fileField || "evidence_files", f.blob, f.name); });
    body.append("idempotency_key", entry.id);
    return body;
  }

  async function rememberSent(user, entry, answer) {
    var sent = (await store.meta("sent-u" + user)) || [];
    sent.unshift({ title: entry.title, url: answer.url, message: answer.message, at: Date.now() });
    await store.setMeta("sent-u" + user, sent.slice(0, 10));
  }

  // Sends every waiting entry of the signed-in user. Resolves with what happened:
  // {sent, refused, login, offline, error}.
  function syncAll() {
    return withLock(async function () {
      var result = { sent: 0, refused: 0, login: false, offline: false, error: false };
      var config = await store.meta("config");
      if (!config) return result;
      var lists;
      try { lists = await fetchLists(config); } catch (e) { result.offline = true; return result; }
      if (lists.login) { result.login = true; await store.setMeta("login-needed", true); return result; }
      if (lists.error) { result.error = true; return result; }
      await store.setMeta("login-needed", false);
      var user = lists.data.user;
      var entries = (await store.entries(user)).filter(function (e) { return e.state !== "refused"; });
      for (var i = 0; i < entries.length; i++) {
        var entry = entries[i], response, answer;
        try {
          response = await fetch(entry.syncUrl, {
            method: "POST", body: formData(entry), credentials: "same-origin", redirect: "manual",
            headers: { "X-CSRFToken": lists.data.csrf, Accept: "application/json" },
          });
        } catch (e) { result.offline = true; break; }
        try { answer = await response.json(); } catch (e) { answer = null; }
        if (answer && answer.ok) {
          await store.remove(entry.id);
          await rememberSent(user, entry, answer);
          result.sent += 1;
        } else if (response.status === 401) {
          result.login = true; await store.setMeta("login-needed", true); break;
        } else if (answer && [400, 403, 404].indexOf(response.status) >= 0) {
          entry.state = "refused"; entry.errors = answer.errors || {}; entry.labels = answer.labels || {};
          await store.put(entry);
          result.refused += 1;
        } else {
          result.error = true; // a server error, or a refusal that is not ours (CSRF): tried again later
        }
      }
      return result;
    });
  }

  async function clearAll() {
    var names = await caches.keys();
    await Promise.all(names.filter(function (n) { return n.indexOf("kpmi-") === 0; }).map(function (n) { return caches.delete(n); }));
    await new Promise(function (resolve) {
      var req = indexedDB.deleteDatabase(DB_NAME);
      req.onsuccess = req.onerror = req.onblocked = function () { resolve(); };
    });
  }

  root.KpmiOutbox = { store: store, syncAll: syncAll, clearAll: clearAll, uuid: uuid, SYNC_TAG: SYNC_TAG, PAGES: PAGES, STATIC: STATIC };
  if (typeof document === "undefined") return; // in the service worker: the rest is the page's

  // --- the page --------------------------------------------------------------------------------
  var el, S, user, config;

  function t(key, value) { return (S[key] || key).replace("%s", value === undefined ? "" : value); }
  function make(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function downscale(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || typeof createImageBitmap !== "function") {
      return { name: file.name, type: file.type, blob: file };
    }
    try {
      var bitmap = await createImageBitmap(file);
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = make("canvas");
      canvas.width = Math.round(bitmap.width * scale); canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      var blob = await new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.8); });
      if (!blob || (scale === 1 && blob.size >= file.size)) return { name: file.name, type: file.type, blob: file };
      return { name: file.name.replace(/\.[^.]*$/, "") + ".jpg", type: "image/jpeg", blob: blob };
    } catch (e) {
      return { name: file.name, type: file.type, blob: file };
    }
  }

  function kpmiOf(form) {
    var own = new URLSearchParams(location.search).get("kpmi");
    if (own) return own;
    var link = document.querySelector(".breadcrumb a[href*='kpmi=']");
    return link ? new URL(link.href).searchParams.get("kpmi") : "";
  }

  function formPageUrl(kpmi) { return location.pathname + "?kpmi=" + encodeURIComponent(kpmi); }

  // The form's fields as pairs (files apart), photos downscaled: what the entry keeps.
  async function readForm(form) {
    var fields = [], files = [], fileField = "evidence_files";
    var pairs = Array.from(new FormData(form).entries());
    for (var i = 0; i < pairs.length; i++) {
      var name = pairs[i][0], value = pairs[i][1];
      if (name === "csrfmiddlewaretoken" || name === "idempotency_key") continue;
      if (typeof value === "string") fields.push([name, value]);
      else if (value && value.size) { fileField = name; files.push(await downscale(value)); }
    }
    return { fields: fields, files: files, fileField: fileField };
  }

  function notice(form, text) {
    var box = form.querySelector(".outbox-notice") || make("div", "alert alert-danger outbox-notice");
    box.setAttribute("role", "alert");
    box.textContent = text;
    form.insertBefore(box, form.firstChild);
    box.scrollIntoView({ block: "center" });
  }

  async function queue(form, editing) {
    var read = await readForm(form);
    var kpmi = kpmiOf(form);
    var value = function (name) {
      var pair = read.fields.find(function (p) { return p[0] === name; });
      return pair ? pair[1] : "";
    };
    var kept = [];
    if (editing) {
      form.querySelectorAll("input[name=outbox_keep_file]").forEach(function (box) {
        if (box.checked) kept.push(editing.files[Number(box.value)]);
      });
    }
    var entry = {
      // The key stays with an entry that is edited: if it was sent and the answer was lost, the
      // server knows it and creates nothing twice.
      id: editing ? editing.id : uuid(),
      user: user,
      kind: (document.querySelector("main h1") || {}).textContent || "",
      kpmi: kpmi,
      kpmiName: (document.querySelector("main h1 + p") || {}).textContent || "",
      title: value("title"), date: value("date"),
      fields: read.fields, files: kept.concat(read.files), fileField: read.fileField,
      state: "waiting", errors: null, labels: null,
      created: editing ? editing.created : Date.now(),
      formUrl: formPageUrl(kpmi),
      syncUrl: location.pathname + "kirim/?kpmi=" + encodeURIComponent(kpmi),
    };
    await store.put(entry);
    try {
      var reg = await navigator.serviceWorker.ready;
      if (reg.sync) await reg.sync.register(SYNC_TAG);
    } catch (e) { /* no Background Sync: sent at the next page open or with "Send now" */ }
    return entry;
  }

  function watchForm(form) {
    var editing = null;
    var match = /^#outbox=([0-9a-f-]{36})$/.exec(location.hash);
    if (match) {
      store.get(match[1]).then(function (entry) {
        if (entry && entry.user === user) { editing = entry; fill(form, entry); }
      });
    }
    form.addEventListener("submit", function (event) {
      // A signal and the page came from the server: the normal form. The phone's kept copy (served
      // when the network failed, though the phone may think it is online) always queues.
      if (navigator.onLine && !editing && !el.dataset.copy) return;
      event.preventDefault();
      var button = form.querySelector("[type=submit]");
      if (button) button.disabled = true;
      queue(form, editing).then(function () {
        location.href = config.outboxUrl + "?queued=1";
      }, function (error) {
        if (button) button.disabled = false;
        var full = error && (error.name === "QuotaExceededError" || /quota/i.test(String(error.message)));
        notice(form, full ? t("full") : t("failed", error && error.name));
      });
    });
  }

  // Puts a queued entry back into the form, with the server's messages where it refused it.
  function fill(form, entry) {
    var values = {};
    entry.fields.forEach(function (p) { (values[p[0]] = values[p[0]] || []).push(p[1]); });
    Array.from(form.elements).forEach(function (field) {
      if (!field.name || field.type === "file" || field.type === "hidden" || field.type === "submit") return;
      var wanted = values[field.name] || [];
      if (field.type === "checkbox" || field.type === "radio") field.checked = wanted.indexOf(field.value) >= 0;
      else if (field.tagName === "SELECT") Array.from(field.options).forEach(function (o) { o.selected = wanted.indexOf(o.value) >= 0; });
      else field.value = wanted.length ? wanted[0] : "";
    });
    notice(form, t("editing"));
    form.querySelector(".outbox-notice").className = "alert alert-info outbox-notice";
    Object.keys(entry.errors || {}).forEach(function (name) {
      var field = form.elements[name];
      var target = field && (field.length && !field.tagName ? field[0] : field);
      var box = make("div", "alert alert-danger py-1 small outbox-error", entry.errors[name].join(" "));
      if (target && target.closest) (target.closest(".mb-3") || target.parentNode).appendChild(box);
      else form.insertBefore(box, form.querySelector("[type=submit]"));
    });
    if (entry.files && entry.files.length) {
      var list = make("div", "mb-3");
      entry.files.forEach(function (f, i) {
        var label = make("label", "form-check");
        var box = make("input", "form-check-input");
        box.type = "checkbox"; box.name = "outbox_keep_file"; box.value = String(i); box.checked = true;
        label.appendChild(box); label.appendChild(document.createTextNode(" " + f.name));
        list.appendChild(label);
      });
      form.insertBefore(list, form.querySelector("[type=submit]"));
    }
  }

  // Offline, a list the form fills by asking the server as one types (a search picker) cannot ask:
  // a <select> of these names left (nearly) empty is filled from the lists kept for the user, and the
  // lists go to any picker that listens for "kpmi:offline-lists". Field names and values stay the same.
  async function fillLists(form) {
    var kept = await store.meta("lists-u" + user);
    if (!kept || !kept.data) return;
    var data = kept.data, kpmi = Number(kpmiOf(form));
    var group = data.kpmis.filter(function (k) { return k.id === kpmi; })[0] || { members: [] };
    var lists = {
      kecamatan: data.kecamatan.map(function (k) { return [k[0], k[1]]; }),
      desa: data.desa.map(function (d) { return [d[0], d[1]]; }),
      lead_trainer: group.members.filter(function (m) { return m.trainer; }).map(function (m) { return [String(m.id), m.name]; }),
    };
    Object.keys(lists).forEach(function (name) {
      var select = form.querySelector("select[name=" + name + "]");
      if (!select || select.querySelectorAll("option[value]:not([value=''])").length > 1) return;
      var chosen = select.value;
      lists[name].forEach(function (pair) {
        if (pair[0] === chosen) return;
        var option = make("option", "", pair[1]); option.value = pair[0]; select.appendChild(option);
      });
    });
    document.dispatchEvent(new CustomEvent("kpmi:offline-lists", { detail: { kpmi: group, lists: data } }));
  }

  // --- the outbox page and the indicator --------------------------------------------------------
  async function render(status) {
    var entries = await store.entries(user);
    var list = document.getElementById("outbox-list");
    el.textContent = "";
    if (status) el.appendChild(make("div", "", status));
    if (entries.length && !list) {
      var line = make("div", "d-flex flex-wrap gap-2 align-items-center");
      line.appendChild(make("span", "me-auto", entries.length === 1 ? t("one") : t("many", entries.length)));
      var open = make("a", "btn btn-sm btn-outline-dark", t("open"));
      open.href = config.outboxUrl;
      line.appendChild(open);
      var send = make("button", "btn btn-sm btn-success", t("send"));
      send.type = "button";
      send.addEventListener("click", sendNow);
      line.appendChild(send);
      el.appendChild(line);
    }
    el.classList.toggle("d-none", !el.childNodes.length);
    if (!list) return;
    list.textContent = "";
    if (!entries.length) list.appendChild(make("li", "list-group-item text-muted", t("empty")));
    entries.forEach(function (entry) {
      var item = make("li", "list-group-item outbox-entry");
      item.dataset.id = entry.id;
      item.appendChild(make("div", "fw-semibold", entry.title || "—"));
      var parts = [entry.kind, entry.date, entry.kpmiName];
      if (entry.files && entry.files.length) parts.push(t("photos", entry.files.length));
      item.appendChild(make("div", "small text-muted", parts.filter(Boolean).join(" · ")));
      var refused = entry.state === "refused";
      item.appendChild(make("span", "badge " + (refused ? "text-bg-danger" : "text-bg-secondary"), refused ? t("refused") : t("waiting")));
      if (refused) {
        var errors = make("ul", "small text-danger mb-1 outbox-errors");
        Object.keys(entry.errors || {}).forEach(function (name) {
          var label = name === "__all__" ? "" : ((entry.labels || {})[name] || name) + ": ";
          entry.errors[name].forEach(function (m) { errors.appendChild(make("li", "", label + m)); });
        });
        item.appendChild(errors);
      }
      var actions = make("div", "d-flex gap-2 mt-1");
      var edit = make("a", "btn btn-sm btn-outline-success", t("edit"));
      edit.href = entry.formUrl + "#outbox=" + entry.id;
      var remove = make("button", "btn btn-sm btn-outline-danger", t("delete"));
      remove.type = "button";
      remove.addEventListener("click", function () {
        if (confirm(t("confirmDelete"))) store.remove(entry.id).then(function () { render(); });
      });
      actions.appendChild(edit); actions.appendChild(remove);
      item.appendChild(actions);
      list.appendChild(item);
    });
    var sentBox = document.getElementById("outbox-sent");
    var sent = (await store.meta("sent-u" + user)) || [];
    sentBox.textContent = "";
    sent.forEach(function (s) {
      var link = make("a", "list-group-item list-group-item-action list-group-item-success outbox-sent", t("sent", s.title));
      link.href = s.url;
      sentBox.appendChild(link);
    });
  }

  async function sendNow() {
    render(t("sending"));
    var result = await syncAll();
    var status = "";
    if (result.login) status = t("login");
    else if (result.offline) status = t("waiting");
    else if (result.error) status = t("serverError");
    await render(status);
    if (result.login) {
      var link = make("a", "alert-link", "→");
      link.href = config.loginUrl + "?next=" + encodeURIComponent(config.outboxUrl);
      el.firstChild.appendChild(document.createTextNode(" "));
      el.firstChild.appendChild(link);
    }
    return result;
  }

  // Keeps the log menu, the forms and the outbox page (as the server renders them for the phone:
  // nothing of other KPMI in them), with the scripts and styles they load.
  async function keepPages(data) {
    var pages = await caches.open(PAGES + user);
    var assets = await caches.open(STATIC + config.version);
    for (var i = 0; i < data.pages.length; i++) {
      var url = data.pages[i];
      var response = await fetch(url, { credentials: "same-origin", redirect: "manual", headers: { "X-Offline-Copy": "1" } });
      if (response.status !== 200) continue;
      var html = await response.clone().text();
      await pages.put(url, response);
      var refs = html.match(/(?:src|href)="(\/static\/[^"]+\.(?:js|css))"/g) || [];
      for (var j = 0; j < refs.length; j++) {
        var asset = refs[j].replace(/^(?:src|href)="/, "").replace(/"$/, "");
        if (!(await assets.match(asset))) await assets.add(asset).catch(function () {});
      }
    }
    await store.setMeta("kept-u" + user, { at: Date.now(), version: config.version });
  }

  async function refresh() {
    var kept = await store.meta("kept-u" + user);
    // Opening the menu refreshes them sooner (the forms cost the server some CPU: not at every visit).
    var onMenu = /\/kegiatan\/catat\/$/.test(location.pathname);
    var age = kept && kept.version === config.version ? Date.now() - kept.at : Infinity;
    if (age < (onMenu ? STALE_MS / 6 : STALE_MS)) return;
    var lists = await fetchLists(config);
    if (lists.data && lists.data.user === user) await keepPages(lists.data);
  }

  async function forgetOtherUsers() {
    // Another login on this phone: the previous user's pages and lists go. Their queued entries
    // stay (hidden, never sent as someone else) until they log in again or anyone logs out.
    var previous = await store.meta("user");
    if (previous === user) return;
    var names = await caches.keys();
    await Promise.all(names.filter(function (n) { return n.indexOf(PAGES) === 0 && n !== PAGES + user; }).map(function (n) { return caches.delete(n); }));
    if (previous !== null) await store.setMeta("lists-u" + previous, null);
    await store.setMeta("user", user);
  }

  function watchLogout() {
    document.querySelectorAll("form[action='" + el.dataset.logout + "']").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.cleared) return;
        event.preventDefault();
        store.entries(user).catch(function () { return []; }).then(function (entries) {
          if (entries.length && !confirm(t("confirmLogout", entries.length))) return;
          clearAll().catch(function () {}).then(function () { form.dataset.cleared = "1"; form.submit(); });
        });
      });
    });
  }

  async function start() {
    el = document.getElementById("outbox-indicator");
    if (!el || !("serviceWorker" in navigator) || !root.indexedDB || !root.caches) return;
    S = JSON.parse(el.dataset.strings);
    user = Number(el.dataset.user);
    config = { listsUrl: el.dataset.lists, outboxUrl: el.dataset.outbox, loginUrl: el.dataset.login, version: el.dataset.version };
    watchLogout();
    var form = document.querySelector("main form[enctype='multipart/form-data']");
    if (form && form.querySelector("input[name=idempotency_key]") && /\/kegiatan\/catat\/[^/]+\/$/.test(location.pathname)) {
      watchForm(form);
      if (!navigator.onLine) fillLists(form).catch(function () {});
    }
    var offlineBox = document.getElementById("outbox-offline-page");
    if (offlineBox && location.pathname !== config.outboxUrl) {
      offlineBox.textContent = t("offlinePage"); offlineBox.classList.remove("d-none");
    }
    var send = document.getElementById("outbox-send");
    if (send) send.addEventListener("click", sendNow);
    try {
      await store.setMeta("config", config);
      await forgetOtherUsers();
    } catch (e) { return; }
    await render(new URLSearchParams(location.search).get("queued") ? t("queued") : "");
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "synced") render();
    });
    window.addEventListener("online", function () { sendNow(); });
    await navigator.serviceWorker.register(el.dataset.sw, { scope: "/" }).catch(function () {});
    if (navigator.onLine) {
      var waiting = (await store.entries(user)).filter(function (e) { return e.state !== "refused"; });
      if (waiting.length) await sendNow();
      await refresh().catch(function () {});
    }
    await navigator.serviceWorker.ready;
    el.dataset.ready = "1";
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(typeof self !== "undefined" ? self : this);
