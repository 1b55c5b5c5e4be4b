/* Loaded on every page (base.html). Three small things, all optional: the page
   works without them.
   1. The main navigation folds behind a "Menu" button on narrow screens.
   2. A refused form's error summary takes the focus; its links reach the fields.
   3. Forms marked data-keep-draft keep what was typed in localStorage (keyed
      by user, page path and form action) until a submission succeeds or the
      person logs out, so a session
      that expired mid-form, a lost connection or a closed tab loses nothing.
      Restored values are announced, with a button to discard them. Texts come
      from data-* attributes on <body> (translated server-side). */
(function () {
  "use strict";
  var body = document.body;

  /* 1. navigation */
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("mainnav");
  if (toggle && nav) {
    document.documentElement.classList.add("js-nav");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-open", open);
    });
  }

  /* 2. a refused form: focus goes to its error summary (templates/_form_errors.html),
     so the page does not look unchanged and a screen reader reads the list;
     following a line of it puts the cursor in that field. */
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) { return; }
      var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!target) { return; }
      var field = target.matches("input, select, textarea, button") ? target : target.querySelector("input, select, textarea");
      if (!field) { return; }
      event.preventDefault();
      var box = field.closest(".field, td") || field;
      box.scrollIntoView({ block: "center" });
      field.focus({ preventScroll: true });
    });
  }

  /* 3. drafts */
  var PREFIX = "keep-draft:";
  var PENDING = "keep-draft:pending";
  var MAX_AGE = 7 * 24 * 3600 * 1000;
  var store;
  try { store = window.localStorage; store.getItem("x"); } catch (e) { return; }

  /* Drafts belong to the person who typed them: on a shared office computer
     the next person never sees them, and logging out removes them all. */
  var OWNER = body.getAttribute("data-draft-owner") || "anon";

  function keyOf(form) {
    return PREFIX + OWNER + "|" + window.location.pathname + "|" + (form.getAttribute("action") || "");
  }

  function clearAll() {
    for (var i = store.length - 1; i >= 0; i--) {
      var k = store.key(i);
      if (k && k.indexOf(PREFIX) === 0) { store.removeItem(k); }
    }
  }

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken") { return false; }
      var type = (el.type || "").toLowerCase();
      return ["password", "file", "hidden", "submit", "button", "reset"].indexOf(type) === -1;
    });
  }

  function read(key) {
    try { return JSON.parse(store.getItem(key) || "null"); } catch (e) { return null; }
  }

  function save(form) {
    var values = {};
    fieldsOf(form).forEach(function (el, i) {
      var id = el.name + "#" + i;
      if (el.type === "checkbox" || el.type === "radio") { values[id] = el.checked; }
      else { values[id] = el.value; }
    });
    try { store.setItem(keyOf(form), JSON.stringify({ at: Date.now(), values: values })); } catch (e) { /* full */ }
  }

  function differs(el, value) {
    return (el.type === "checkbox" || el.type === "radio") ? el.checked !== value : el.value !== value;
  }

  function apply(el, value) {
    if (el.type === "checkbox" || el.type === "radio") { el.checked = value; } else { el.value = value; }
  }

  function restore(form) {
    var key = keyOf(form);
    var draft = read(key);
    if (!draft || !draft.values) { return; }
    if (Date.now() - draft.at > MAX_AGE) { store.removeItem(key); return; }
    var changed = [];
    fieldsOf(form).forEach(function (el, i) {
      var id = el.name + "#" + i;
      if (Object.prototype.hasOwnProperty.call(draft.values, id) && differs(el, draft.values[id])) {
        changed.push({ el: el, before: (el.type === "checkbox" || el.type === "radio") ? el.checked : el.value });
        apply(el, draft.values[id]);
      }
    });
    if (!changed.length) { return; }
    var note = document.createElement("p");
    note.className = "msg msg-warning draft-note";
    note.setAttribute("role", "status");
    note.textContent = body.getAttribute("data-msg-draft-restored") + " ";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "linklike";
    discard.textContent = body.getAttribute("data-msg-draft-discard");
    discard.addEventListener("click", function () {
      changed.forEach(function (c) { apply(c.el, c.before); });
      store.removeItem(key);
      note.remove();
    });
    note.appendChild(discard);
    form.insertBefore(note, form.firstChild);
  }

  /* A submission is known to have worked when the next page says so (a
     success message); a login page, an error page or a form shown again with
     its errors keeps the draft. */
  var pending = null;
  try { pending = window.sessionStorage.getItem(PENDING); window.sessionStorage.removeItem(PENDING); } catch (e) { pending = null; }
  if (pending && document.querySelector(".msg-success")) { store.removeItem(pending); }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-clear-drafts]"), function (form) {
    form.addEventListener("submit", clearAll);
  });

  Array.prototype.forEach.call(document.querySelectorAll("form[data-keep-draft]"), function (form) {
    restore(form);
    var timer = null;
    function later() { if (timer) { clearTimeout(timer); } timer = setTimeout(function () { save(form); }, 400); }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", function () {
      if (timer) { clearTimeout(timer); }
      save(form);
      try { window.sessionStorage.setItem(PENDING, keyOf(form)); } catch (e) { /* private mode */ }
    });
  });
})();
