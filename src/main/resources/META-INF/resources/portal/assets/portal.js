// Hookline portal: the little the pages need beyond htmx. Served from this origin (the CSP allows no inline script).
(function () {
  "use strict";

  // Every request htmx makes carries the session's CSRF token (plain forms carry it as the _csrf field).
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) {
      event.detail.headers["X-CSRF-Token"] = meta.getAttribute("content");
    }
  });

  // Times are sent as ISO 8601 in UTC; show them in the browser's time zone, keeping the exact value as a tooltip.
  function localTimes(root) {
    var times = (root.querySelectorAll ? root : document).querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var t = times[i];
      var date = new Date(t.getAttribute("datetime"));
      if (!isNaN(date.getTime())) {
        t.textContent = date.toLocaleString(undefined, {
          year: "numeric", month: "short", day: "numeric",
          hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short"
        });
        t.title = t.getAttribute("datetime");
      }
    }
  }

  // Copy buttons: data-copy names the element whose text is copied.
  function copy(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) {
      return;
    }
    var text = source.textContent.trim();
    var done = function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy"; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { selectAndCopy(source, done); });
    } else {
      selectAndCopy(source, done);
    }
  }

  function selectAndCopy(source, done) {
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try {
      if (document.execCommand("copy")) {
        done();
      }
    } catch (e) {
      // the text stays selected for the customer to copy by hand
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (button) {
      copy(button);
    }
  });

  if (window.htmx) {
    window.htmx.onLoad(localTimes);
  } else {
    document.addEventListener("DOMContentLoaded", function () { localTimes(document); });
  }
})();
