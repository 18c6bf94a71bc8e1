/* The search-as-you-type picker (#14). Enhances a <select data-picker="URL"> (one or many): the
   select stays in the form, hidden, and still carries the chosen ids, so the POST is the same as
   without JavaScript. Typing two letters asks the server (URL + "q="; the answer is
   {"results": [{id, label, group}]}, scoped by the server to what this user may pick); choosing a
   result selects it, and chosen items are listed with a remove button.
   A <select data-depends-on="kecamatan" data-picker="URL"> (villages) is narrowed to the district
   chosen in the same form: its options are replaced by the server's list for that district.
   The server renders, for use without JavaScript, a search box and button beside each picker
   (id "<select id>_nojs") and a hidden default Save first in the form; once the picker is enhanced
   both are removed, so that Enter in a field of
   the form sends the form with its Save button and not a search. */
(function () {
  "use strict";
  var debounce = function (fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  };
  var ask = function (url, done) {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) { done(data.results || []); })
      .catch(function () { done([]); });
  };
  var withParam = function (url, name, value) {
    return url + (url.indexOf("?") < 0 ? "?" : "&") + name + "=" + encodeURIComponent(value);
  };
  var dropNoScriptControls = function (select) {
    var controls = select.id && document.getElementById(select.id + "_nojs");
    if (controls) { controls.parentNode.removeChild(controls); }
    // With the search buttons gone, the hidden default Save (templates/_default_submit.html) is not
    // needed either: the form's own Save is its first submit button again.
    var fallback = select.form && select.form.querySelector("input.default-submit");
    if (fallback) { fallback.parentNode.removeChild(fallback); }
  };
  var optionFor = function (select, id, label) {
    var found = Array.prototype.find.call(select.options, function (o) { return o.value === id; });
    if (!found) {
      found = new Option(label, id);
      select.appendChild(found);
    }
    return found;
  };

  // Villages narrowed to the chosen district.
  Array.prototype.forEach.call(document.querySelectorAll("select[data-depends-on]"), function (select) {
    var name = select.name.replace(/desa$/, select.getAttribute("data-depends-on"));
    var parent = select.form && select.form.querySelector('select[name="' + name + '"]');
    if (!parent) { return; }
    dropNoScriptControls(select);
    var narrow = function () {
      if (!parent.value) { return; }
      ask(withParam(select.getAttribute("data-picker"), "kecamatan", parent.value), function (rows) {
        var keep = select.value;
        while (select.options.length) { select.remove(0); }
        select.appendChild(new Option("---------", ""));
        rows.forEach(function (row) { select.appendChild(new Option(row.label, row.id)); });
        select.value = rows.some(function (row) { return row.id === keep; }) ? keep : "";
      });
    };
    parent.addEventListener("change", narrow);
    narrow();
  });

  // People: a search box over the hidden select.
  Array.prototype.forEach.call(document.querySelectorAll("select[data-picker]:not([data-depends-on])"), function (select) {
    var many = select.multiple;
    dropNoScriptControls(select);
    var box = document.createElement("div");
    box.className = "picker";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control";
    input.autocomplete = "off";
    input.id = select.id + "-search";
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label) { label.setAttribute("for", input.id); }
    var chosen = document.createElement("ul");
    chosen.className = "picker-chosen";
    chosen.setAttribute("aria-live", "polite");
    var results = document.createElement("div");
    results.className = "picker-results list-group";
    box.appendChild(chosen);
    box.appendChild(input);
    box.appendChild(results);
    select.parentNode.insertBefore(box, select);
    select.hidden = true;

    var drawChosen = function () {
      chosen.innerHTML = "";
      Array.prototype.forEach.call(select.selectedOptions, function (option) {
        if (!option.value) { return; }
        var item = document.createElement("li");
        item.className = "badge text-bg-light border";
        item.appendChild(document.createTextNode(option.text));
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn btn-sm btn-link";
        remove.setAttribute("aria-label", "× " + option.text);
        remove.textContent = "×";
        remove.addEventListener("click", function () {
          option.selected = false;
          drawChosen();
          input.focus();
        });
        item.appendChild(remove);
        chosen.appendChild(item);
      });
    };
    var choose = function (row) {
      if (!many) {
        Array.prototype.forEach.call(select.options, function (o) { o.selected = false; });
      }
      optionFor(select, row.id, row.label).selected = true;
      results.innerHTML = "";
      input.value = "";
      drawChosen();
      input.focus();
    };
    var search = debounce(function () {
      var q = input.value.trim();
      if (q.length < 2) { results.innerHTML = ""; return; }
      ask(withParam(select.getAttribute("data-picker"), "q", q), function (rows) {
        results.innerHTML = "";
        rows.forEach(function (row) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "list-group-item list-group-item-action";
          button.setAttribute("data-id", row.id);
          button.textContent = row.label + (row.group ? " · " + row.group : "");
          button.addEventListener("click", function () { choose(row); });
          results.appendChild(button);
        });
      });
    }, 250);
    input.addEventListener("input", search);
    drawChosen();
  });
})();
