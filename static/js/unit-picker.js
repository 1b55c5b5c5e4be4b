/* The assessment rows' unit picker: a WAI-ARIA 1.2 combobox (an input with
   role=combobox and a listbox popup) over the official units of the report's
   province at the row's level, asked from the page's JSON search
   (reports:unit_search, data-unit-search-url). The chosen code is written into
   the row's own unit <select>, which is what the form posts; the select and
   the narrowing controls of the page without JavaScript are hidden.
   Keys: Down/Up move through the results (Down opens them), Enter chooses,
   Escape closes (or, closed, puts back the chosen unit). A live region says
   how many units were found. Changing a row's level clears its unit.
   Rows added by "add a row" (report-draft.js) announce themselves with the
   "draft:row-added" event and get the combobox too. Messages come from the
   section's data-* attributes (translated server-side). */
(function () {
  "use strict";
  var section = document.getElementById("penilaian");
  if (!section || !section.getAttribute("data-unit-search-url")) { return; }
  var url = section.getAttribute("data-unit-search-url");
  var msg = function (name) { return section.getAttribute("data-msg-" + name) || ""; };
  var status = document.createElement("p");
  status.className = "sr-only";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.id = "unit-picker-status";
  section.appendChild(status);
  var counter = 0;

  function announce(text) { status.textContent = text; }

  function enhance(cell) {
    if (cell.getAttribute("data-unit-enhanced")) { return; }
    var select = cell.querySelector("select[name$='-unit']");
    var form = cell.closest("form");
    var levelName = cell.getAttribute("data-level-field");
    var level = form && levelName ? form.querySelector("select[name='" + levelName + "']") : null;
    if (!select || !level || select.name.indexOf("__prefix__") !== -1) { return; }
    cell.setAttribute("data-unit-enhanced", "1");
    counter += 1;
    /* The combobox takes over the select's id: its label, and the error
       summary's link to the field, now lead to what the writer types in. */
    var base = select.id || ("unit-picker-" + counter);
    var listId = base + "-listbox";
    var label = cell.querySelector("label[for='" + base + "']");
    select.id = base + "-select";

    var wrap = document.createElement("div");
    wrap.className = "combo";
    var input = document.createElement("input");
    input.type = "text";
    input.id = base;
    input.className = "combo-input";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    input.placeholder = msg("input");
    var error = document.getElementById(base + "_error");
    if (error) {
      input.setAttribute("aria-describedby", error.id);
      input.setAttribute("aria-invalid", "true");
    }
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "combo-listbox";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    /* A press anywhere in the list (an option, its scrollbar, its padding)
       keeps the focus in the input, so the list stays open. */
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    wrap.appendChild(input);
    wrap.appendChild(list);

    if (label) {
      if (!label.id) { label.id = base + "-label"; }
      list.setAttribute("aria-labelledby", label.id);
    }
    select.parentNode.insertBefore(wrap, select);
    select.hidden = true;
    select.tabIndex = -1;
    Array.prototype.forEach.call(cell.querySelectorAll("[data-unit-narrow]"), function (el) { el.hidden = true; });

    var results = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function chosenLabel() {
      var option = select.options[select.selectedIndex];
      return option && option.value ? option.text : "";
    }
    input.value = chosenLabel();

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = list.children;
      if (active >= 0 && items[active]) { items[active].setAttribute("aria-selected", "false"); }
      active = index;
      if (active >= 0 && items[active]) {
        items[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", items[active].id);
        items[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(found) {
      results = found;
      list.textContent = "";
      active = -1;
      found.forEach(function (unit, i) {
        var item = document.createElement("li");
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.className = "combo-option";
        item.textContent = unit.label;
        item.addEventListener("click", function () { choose(i); });
        list.appendChild(item);
      });
      if (found.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        announce(msg("found").replace("{n}", String(found.length)));
      } else {
        close();
        announce(msg("none"));
      }
    }

    function choose(index) {
      var unit = results[index];
      if (!unit) { return; }
      var option = null;
      Array.prototype.forEach.call(select.options, function (o) { if (o.value === unit.code) { option = o; } });
      if (!option) {
        option = document.createElement("option");
        option.value = unit.code;
        option.textContent = unit.label;
        select.appendChild(option);
      }
      select.value = unit.code;
      input.value = unit.label;
      input.removeAttribute("aria-invalid");
      close();
      announce(msg("chosen") + " " + unit.label);
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function ask() {
      var text = input.value.trim();
      if (!level.value) { results = []; close(); announce(msg("level")); return; }
      if (!text) { results = []; close(); return; }
      asked += 1;
      var mine = asked;
      var query = new URLSearchParams({ tingkat: level.value, q: text });
      fetch(url + "?" + query.toString(), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
        .then(function (data) { if (mine === asked) { render(data.results || []); } })
        .catch(function () { if (mine === asked) { results = []; close(); announce(msg("failed")); } });
    }

    input.addEventListener("input", function () {
      if (!input.value.trim() && select.value) {
        select.value = "";
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(ask, 150);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) {
          if (results.length) {
            list.hidden = false;
            input.setAttribute("aria-expanded", "true");
            highlight(0);
          } else if (input.value !== chosenLabel()) {
            /* Not on the chosen unit's label: search what was typed. */
            ask();
          }
          return;
        }
        highlight(active + 1 < results.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (open) { highlight(active > 0 ? active - 1 : results.length - 1); }
      } else if (event.key === "Enter") {
        if (open || input.value !== chosenLabel()) {
          /* Never submit the form from the picker: choose, or keep typing. */
          event.preventDefault();
        }
        if (open && active >= 0) { choose(active); }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        } else {
          input.value = chosenLabel();
        }
      }
    });

    input.addEventListener("blur", function () {
      /* A search still waiting or on its way is of no use any more. */
      if (timer) { clearTimeout(timer); timer = null; }
      asked += 1;
      close();
      input.value = chosenLabel();
    });

    level.addEventListener("change", function () {
      if (select.value) {
        select.value = "";
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      input.value = "";
      results = [];
      close();
    });
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-unit-picker]"), enhance);
  }

  enhanceAll(section);
  document.addEventListener("draft:row-added", function (event) {
    if (section.contains(event.target)) { enhanceAll(event.target); }
  });
})();
