/* Report drafts: autosave (posts the whole form to the autosave endpoint a
   few seconds after the last change) and "add a row" for the assessment and
   issue tables. Messages come from data-* attributes (translated server-side). */
(function () {
  "use strict";
  var form = document.getElementById("draft-form");
  if (!form) { return; }
  var status = document.getElementById("autosave-status");
  var url = form.getAttribute("data-autosave-url");
  var timer = null;
  var inFlight = false;
  var pending = false;

  function say(text) { if (status) { status.textContent = text; } }

  function save() {
    if (inFlight) { pending = true; return; }
    inFlight = true;
    say(form.getAttribute("data-msg-saving"));
    /* Form-encoded, as the form itself posts (the server reads a full table
       of rows with the page's own field limit only in that encoding). */
    fetch(url, { method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin",
                 headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.json().catch(function () { return { ok: false }; }); })
      .then(function (data) { say(data.message || form.getAttribute("data-msg-failed")); })
      .catch(function () { say(form.getAttribute("data-msg-failed")); })
      .then(function () {
        inFlight = false;
        if (pending) { pending = false; schedule(); }
      });
  }

  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 3000);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function () { if (timer) { clearTimeout(timer); } });

  Array.prototype.forEach.call(document.querySelectorAll(".js-add-row"), function (button) {
    var prefix = button.getAttribute("data-prefix");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-template");
    var body = document.querySelector("#" + prefix + "-table tbody");
    if (!total || !template || !body) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      /* The unit picker (unit-picker.js) enhances the new row. */
      body.lastElementChild.dispatchEvent(new CustomEvent("draft:row-added", { bubbles: true }));
    });
  });
})();
