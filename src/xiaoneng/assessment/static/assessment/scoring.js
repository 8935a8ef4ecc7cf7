// Scoring on a phone with a weak connection (progressive enhancement of a plain form).
//
// Every change of an item's points or note becomes one queued change {key, criterion, points,
// note}, kept in localStorage before anything is sent, so nothing typed is lost when the network
// drops or the page is closed. Changes are sent one at a time; the key (a random UUID made here)
// lets the server apply each change once however often it is retried. A change carries the
// item's whole state, so a newer change for the same item replaces an unsent older one.
// The queue is flushed when the network returns ("online"), on a timer while it is away, and on
// the next visit. No inline script: this file is loaded by the page (the CSP allows 'self' only).
(function () {
  "use strict";

  function uuid4() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function init(form) {
    var msg = form.dataset;
    var url = msg.changeUrl;
    var storeKey = msg.queueKey;
    var bar = document.querySelector("[data-xn-sync]");
    var tokenInput = form.querySelector("input[name=csrfmiddlewaretoken]");
    var tokenMeta = document.querySelector("meta[name=csrf-token]");
    var csrf = tokenInput ? tokenInput.value : (tokenMeta ? tokenMeta.content : "");
    var queue = load();
    var sending = null;
    var retryTimer = null;
    var retryDelay = 2000;
    var stalled = false;  // the server answered something that is not an answer (signed out?)
    var timers = {};
    var lastQueued = {};

    function load() {
      try {
        var data = JSON.parse(window.localStorage.getItem(storeKey) || "[]");
        return Array.isArray(data) ? data : [];
      } catch (e) { return []; }
    }
    function persist() {
      try { window.localStorage.setItem(storeKey, JSON.stringify(queue)); } catch (e) { /* private mode: memory only */ }
    }
    function itemEl(id) { return form.querySelector('[data-criterion="' + id + '"]'); }
    function fieldEl(id, name) { var el = itemEl(id); return el ? el.querySelector('[data-field="' + name + '"]') : null; }

    function setState(id, state, errors) {
      var el = itemEl(id);
      if (!el) { return; }
      el.classList.remove("xn-saved", "xn-pending", "xn-error", "xn-item-error");
      el.classList.add("xn-" + state);
      var badge = el.querySelector("[data-state]");
      if (badge) {
        badge.className = "xn-state small text-nowrap xn-" + state;
        badge.textContent = state === "saved" ? msg.msgItemSaved : state === "pending" ? msg.msgItemPending : msg.msgItemError;
      }
      ["points", "note"].forEach(function (name) {
        var box = el.querySelector('[data-error="' + name + '"]');
        var input = fieldEl(id, name);
        var text = errors && errors[name] ? errors[name] : "";
        if (box) { box.textContent = text; }
        if (input) { input.classList.toggle("is-invalid", !!text); }
      });
    }

    function render() {
      if (!bar) { return; }
      bar.hidden = false;
      var waiting = queue.length;
      bar.dataset.pending = String(waiting);
      bar.classList.remove("xn-pending", "xn-offline");
      if (!navigator.onLine) {
        bar.classList.add("xn-offline");
        bar.textContent = msg.msgOffline + (waiting ? " (" + waiting + ")" : "");
      } else if (waiting) {
        bar.classList.add("xn-pending");
        bar.textContent = msg.msgPending + " " + waiting + " " + msg.msgWaiting;
      } else {
        bar.textContent = msg.msgSaved;
      }
    }

    function enqueue(id) {
      var points = fieldEl(id, "points");
      var note = fieldEl(id, "note");
      if (!points || points.disabled) { return; }
      var change = { key: uuid4(), criterion: id, points: points.value, note: note ? note.value : "" };
      var signature = change.points + "\u0000" + change.note;
      if (lastQueued[id] === signature) { return; }
      lastQueued[id] = signature;
      // An unsent older change of the same item is replaced (this one carries its whole state).
      queue = queue.filter(function (c) { return c.criterion !== id || (sending && c.key === sending.key); });
      queue.push(change);
      persist();
      setState(id, "pending");
      stalled = false;
      render();
      flush();
    }

    function scheduleRetry() {
      if (retryTimer) { return; }
      retryTimer = window.setTimeout(function () {
        retryTimer = null;
        flush();
      }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    }

    function flush() {
      render();
      if (sending || !queue.length || stalled) { return; }
      if (!navigator.onLine) { return; }
      var change = queue[0];
      sending = change;
      window.fetch(url, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "X-Requested-With": "XMLHttpRequest" },
        body: JSON.stringify(change)
      }).then(function (response) {
        if (response.status >= 500 || response.status === 429 || response.status === 408) {
          throw new Error("retry");
        }
        return response.json().then(function (data) { return data; }, function () {
          stalled = true;  // not JSON: keep the change and wait for the next edit or visit
          throw new Error("stalled");
        });
      }).then(function (data) {
        retryDelay = 2000;
        queue = queue.filter(function (c) { return c.key !== change.key; });
        persist();
        sending = null;
        var newer = queue.some(function (c) { return c.criterion === change.criterion; });
        if (!newer) {
          if (data && data.ok) {
            setState(change.criterion, "saved");
          } else {
            setState(change.criterion, "error", (data && data.errors) || { points: msg.msgItemError });
            delete lastQueued[change.criterion];
          }
        }
        flush();
      }, function () {
        sending = null;
        if (stalled) { setState(change.criterion, "error"); } else { scheduleRetry(); }
        render();
      });
    }

    // Restore what was typed but not yet sent (e.g. the page was closed while offline).
    var restored = {};
    queue.forEach(function (c) { restored[c.criterion] = c; });
    Object.keys(restored).forEach(function (id) {
      var c = restored[id];
      var points = fieldEl(id, "points");
      var note = fieldEl(id, "note");
      if (!points || points.disabled) { return; }
      points.value = c.points;
      if (note) { note.value = c.note; }
      lastQueued[id] = c.points + "\u0000" + c.note;
      setState(id, "pending");
    });

    form.addEventListener("input", function (event) {
      var input = event.target;
      if (!input.dataset || !input.dataset.field) { return; }
      var id = input.closest("[data-criterion]").getAttribute("data-criterion");
      window.clearTimeout(timers[id]);
      timers[id] = window.setTimeout(function () { enqueue(id); }, 600);
    });
    form.addEventListener("change", function (event) {
      var input = event.target;
      if (!input.dataset || !input.dataset.field) { return; }
      var id = input.closest("[data-criterion]").getAttribute("data-criterion");
      window.clearTimeout(timers[id]);
      enqueue(id);
    });
    form.addEventListener("submit", function (event) {
      if (!navigator.onLine) {
        // The plain form cannot reach the server: keep everything in the queue instead.
        event.preventDefault();
        form.querySelectorAll("[data-criterion]").forEach(function (el) { enqueue(el.getAttribute("data-criterion")); });
        if (bar) { bar.hidden = false; bar.classList.add("xn-offline"); bar.textContent = msg.msgSaveOffline; }
      }
    });
    window.addEventListener("online", function () { retryDelay = 2000; stalled = false; flush(); });
    window.addEventListener("offline", render);
    flush();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-xn-scoring]").forEach(init);
  });
})();
