// dos serve: follow the store and redraw the view when it changes. No framework.
(function () {
  "use strict";
  var body = document.body;
  var view = document.getElementById("view");
  var pending = false;
  var busy = false;
  var refreshes = 0;

  function focusedInView() {
    var active = document.activeElement;
    return active && active !== body && view.contains(active) &&
      (active.tagName === "INPUT" || active.tagName === "TEXTAREA");
  }

  function refresh(heads) {
    if (busy || focusedInView()) { pending = true; return; }
    busy = true;
    pending = false;
    fetch(window.location.href, {
      headers: { "X-Dos-Fragment": "1" }, credentials: "same-origin", cache: "no-store"
    }).then(function (answer) {
      if (answer.status === 401) { window.location.reload(); return null; }
      return answer.ok ? answer.text() : null;
    }).then(function (html) {
      if (html !== null && html !== undefined) {
        view.innerHTML = html;
        refreshes += 1;
        body.setAttribute("data-refreshes", String(refreshes));
        if (heads) { body.setAttribute("data-seq", heads.ops + "." + heads.verdicts); }
      }
    }).catch(function () {
      body.setAttribute("data-live", "down");
    }).then(function () {
      busy = false;
      if (pending) { refresh(heads); }
    });
  }

  function onEvent(message) {
    var heads = null;
    try { heads = JSON.parse(message.data); } catch (ignored) { heads = null; }
    body.setAttribute("data-live", "live");
    refresh(heads);
  }

  view.addEventListener("focusout", function () {
    if (pending) { window.setTimeout(function () { refresh(null); }, 0); }
  });

  if (!window.EventSource) { body.setAttribute("data-live", "off"); return; }
  var source = new EventSource("/events");
  ["hello", "change", "tick"].forEach(function (name) {
    source.addEventListener(name, onEvent);
  });
  source.onerror = function () { body.setAttribute("data-live", "down"); };
}());
