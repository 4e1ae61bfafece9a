/* The HR forms in the browser (form_pages.py writes the pages):
 * - the self-assessment: answers kept in localStorage only, one record per model and variant,
 *   exported and imported as CSV and JSON, a summary of strengths and gaps, and what to develop
 *   for a target job of the family (family-data.js, when the site has a family of jobs);
 * - the job posting text: chosen competencies and indicators copied as plain text, Markdown or HTML.
 * Nothing is ever sent anywhere; text from the page is only ever set as text, never as HTML. */
(function () {
  "use strict";

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  function download(name, type, text) {
    var blob = new Blob([text], { type: type });
    var a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }

  // -- CSV (RFC 4180: quoted fields, doubled quotes, CRLF) ------------------------------------------
  // A cell a spreadsheet would evaluate (starting with = + - @, tab or CR) starts with an apostrophe,
  // so a note stays text when the file is opened; reading the file back takes the apostrophe off.
  function csvField(value) {
    var text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) { text = "'" + text; }
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function cellValue(text) {
    return /^'[=+\-@\t\r]/.test(text || "") ? text.slice(1) : text;
  }
  function parseCsv(text) {
    var rows = [], row = [], field = "", i = 0, quoted = false;
    text = text.replace(/^\ufeff/, "");
    while (i < text.length) {
      var ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
        if (ch === '"') { quoted = false; i += 1; continue; }
        field += ch; i += 1; continue;
      }
      if (ch === '"') { quoted = true; i += 1; continue; }
      if (ch === ",") { row.push(field); field = ""; i += 1; continue; }
      if (ch === "\r" || ch === "\n") {
        row.push(field); field = "";
        if (row.length > 1 || row[0] !== "") { rows.push(row); }
        row = [];
        i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
        continue;
      }
      field += ch; i += 1;
    }
    if (field !== "" || row.length) { row.push(field); rows.push(row); }
    return rows;
  }

  // -- the self-assessment ------------------------------------------------------------------------------
  function selfAssessment(form) {
    var data = JSON.parse(document.getElementById("comp-sa-data").getAttribute("data-form"));
    var key = "competency-self-assessment/v1/" + data.model + "/" + data.variant;
    var status = document.getElementById("comp-sa-status");
    var levelIndex = {};
    data.levels.forEach(function (level, n) { levelIndex[level.id] = n; });
    var expected = data.expected === null ? -1 : levelIndex[data.expected];

    function say(text) { if (status) { status.textContent = text; } }

    function items() {
      return Array.prototype.map.call(form.querySelectorAll("[data-sa-item]"), function (box) {
        return { id: box.getAttribute("data-sa-item"), code: box.getAttribute("data-sa-code"),
                 text: box.getAttribute("data-sa-text") };
      });
    }
    function current() {
      var ratings = {}, notes = {};
      form.querySelectorAll("input[data-sa-rating]:checked").forEach(function (input) {
        ratings[input.getAttribute("data-sa-rating")] = input.value;
      });
      form.querySelectorAll("textarea[data-sa-note]").forEach(function (area) {
        if (area.value) { notes[area.getAttribute("data-sa-note")] = area.value; }
      });
      return { format: "competency-self-assessment", version: 1, model: data.model, variant: data.variant,
               ratings: ratings, notes: notes };
    }
    function apply(answers) {
      form.querySelectorAll("input[data-sa-rating]").forEach(function (input) {
        input.checked = answers.ratings[input.getAttribute("data-sa-rating")] === input.value;
      });
      form.querySelectorAll("textarea[data-sa-note]").forEach(function (area) {
        area.value = answers.notes[area.getAttribute("data-sa-note")] || "";
      });
      summarise();
    }
    function save() {
      try { localStorage.setItem(key, JSON.stringify(current())); } catch (e) {
        say("Your browser does not let this page keep answers: export them to keep a copy.");
      }
      summarise();
    }
    function load() {
      var text = null;
      try { text = localStorage.getItem(key); } catch (e) { text = null; }
      if (!text) { summarise(); return; }
      try { apply(checked(JSON.parse(text))); } catch (e) { summarise(); }
    }

    // Imported answers: only known items and levels are kept; anything else is reported, not used.
    function checked(answers) {
      if (!answers || typeof answers !== "object" || typeof answers.ratings !== "object") {
        throw new Error("the file holds no self-assessment answers");
      }
      if (answers.model && answers.model !== data.model) {
        throw new Error("the file holds answers for another job (" + answers.model + ")");
      }
      var known = {};
      items().forEach(function (item) { known[item.id] = true; });
      var ratings = {}, notes = {}, skipped = 0;
      Object.keys(answers.ratings || {}).forEach(function (id) {
        var level = answers.ratings[id];
        if (known[id] && levelIndex.hasOwnProperty(level)) { ratings[id] = level; } else { skipped += 1; }
      });
      var notesIn = answers.notes && typeof answers.notes === "object" ? answers.notes : {};
      form.querySelectorAll("textarea[data-sa-note]").forEach(function (area) {
        var id = area.getAttribute("data-sa-note");
        if (typeof notesIn[id] === "string") { notes[id] = notesIn[id]; }
      });
      return { ratings: ratings, notes: notes, skipped: skipped };
    }

    var COLUMNS = ["model", "variant", "kind", "id", "code", "text", "level", "level_label", "note"];
    function toCsv() {
      var answers = current(), lines = [COLUMNS.join(",")];
      var labels = {};
      data.levels.forEach(function (level) { labels[level.id] = level.label; });
      items().forEach(function (item) {
        var level = answers.ratings[item.id] || "";
        lines.push([data.model, data.variant, "rating", item.id, item.code, item.text, level,
                    labels[level] || "", ""].map(csvField).join(","));
      });
      Object.keys(answers.notes).forEach(function (id) {
        lines.push([data.model, data.variant, "note", id, "", "", "", "", answers.notes[id]].map(csvField).join(","));
      });
      return lines.join("\r\n") + "\r\n";
    }
    function fromCsv(text) {
      var rows = parseCsv(text);
      if (!rows.length) { throw new Error("the file is empty"); }
      var head = rows[0], at = {};
      head.forEach(function (name, n) { at[name] = n; });
      ["kind", "id", "level", "note"].forEach(function (name) {
        if (!at.hasOwnProperty(name)) { throw new Error("the CSV file has no '" + name + "' column"); }
      });
      var answers = { model: rows[1] && at.hasOwnProperty("model") ? rows[1][at.model] : undefined,
                      ratings: {}, notes: {} };
      rows.slice(1).forEach(function (row) {
        var kind = cellValue(row[at.kind]), id = cellValue(row[at.id]), level = cellValue(row[at.level]);
        if (kind === "rating" && level) { answers.ratings[id] = level; }
        if (kind === "note") { answers.notes[id] = cellValue(row[at.note]) || ""; }
      });
      return answers;
    }

    function summarise() {
      var box = document.getElementById("comp-sa-summary");
      if (!box) { return; }
      var answers = current(), strengths = [], gaps = [], open = 0;
      items().forEach(function (item) {
        var level = answers.ratings[item.id];
        if (!level) { open += 1; return; }
        (levelIndex[level] >= expected ? strengths : gaps).push({ item: item, level: level });
      });
      box.textContent = "";
      var labels = {};
      data.levels.forEach(function (level) { labels[level.id] = level.label; });
      var expectedLabel = expected >= 0 ? labels[data.expected] : "";
      box.appendChild(el("p", strengths.length + " strengths, " + gaps.length + " gaps, " + open +
        " not rated yet (the job expects “" + expectedLabel + "” or higher)."));
      [["Strengths", strengths, "comp-sa-strengths"], ["Gaps: what to develop", gaps, "comp-sa-gaps"]]
        .forEach(function (part) {
          if (!part[1].length) { return; }
          box.appendChild(el("h3", part[0]));
          var list = el("ul", "", part[2]);
          part[1].forEach(function (entry) {
            var li = el("li");
            li.appendChild(el("span", entry.item.code, "comp-code"));
            li.appendChild(document.createTextNode(" " + entry.item.text + " (" + labels[entry.level] + ")"));
            list.appendChild(li);
          });
          box.appendChild(list);
        });
      target();
    }

    // -- against a target job of the family ---------------------------------------------------------------
    var select = document.getElementById("comp-sa-target");
    function target() {
      var out = document.getElementById("comp-sa-develop");
      var family = window.competencyFamily;
      if (!select || !out) { return; }
      out.textContent = "";
      if (!select.value || !family) { return; }
      var models = {};
      family.models.forEach(function (m) { models[m.id] = m; });
      var source = models[data.model], goal = models[select.value];
      if (!source || !goal) { return; }
      var answers = current(), shared = Object.create(null);
      source.competencies.forEach(function (c) { if (c.shared) { shared[c.shared] = c; } });
      var develop = [];
      goal.competencies.forEach(function (c) {
        var mine = c.shared ? shared[c.shared] : undefined, mineInd = Object.create(null);
        // The same behaviour: one shared indicator, or the same words not shared yet (compare.py, match_key).
        (mine ? mine.indicators : []).forEach(function (i) { if (!(i.match in mineInd)) { mineInd[i.match] = i; } });
        c.indicators.forEach(function (i) {
          var own = mine && mineInd[i.match];
          if (!mine || !own) { develop.push({ code: i.code, text: i.text, page: i.page, why: "new in the target job" }); return; }
          var level = answers.ratings[own.id];
          if (!level) { develop.push({ code: i.code, text: i.text, page: i.page, why: "not rated yet (" + own.code + ")" }); }
          else if (levelIndex[level] < expected) { develop.push({ code: i.code, text: i.text, page: i.page, why: "a gap today (" + own.code + ")" }); }
        });
        if (!c.indicators.length && !mine) { develop.push({ code: c.code, text: c.title, page: c.page, why: "new in the target job" }); }
      });
      out.appendChild(el("h3", "To develop for " + goal.title + " (" + develop.length + ")"));
      var list = el("ul");
      develop.forEach(function (d) {
        var li = el("li");
        li.appendChild(el("span", d.code, "comp-code"));
        li.appendChild(document.createTextNode(" "));
        var a = el("a", d.text);
        a.href = "../" + d.page + ".html";
        li.appendChild(a);
        li.appendChild(document.createTextNode(": " + d.why));
        list.appendChild(li);
      });
      out.appendChild(list);
    }
    if (select) { select.addEventListener("change", target); }

    form.addEventListener("change", save);
    form.addEventListener("input", function (event) { if (event.target.matches("textarea")) { save(); } });
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-sa-action]");
      if (!button) { return; }
      var action = button.getAttribute("data-sa-action");
      var stem = "self-assessment-" + data.model + "-" + data.variant;
      if (action === "export-json") {
        download(stem + ".json", "application/json", JSON.stringify(current(), null, 2) + "\n");
        say("Exported as " + stem + ".json");
      } else if (action === "export-csv") {
        download(stem + ".csv", "text/csv", toCsv());
        say("Exported as " + stem + ".csv");
      } else if (action === "print") {
        window.print();
      } else if (action === "clear" && window.confirm("Clear every answer of this self-assessment?")) {
        try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
        apply({ ratings: {}, notes: {} });
        say("Every answer was cleared.");
      }
    });
    var picker = document.getElementById("comp-sa-import");
    if (picker) {
      picker.addEventListener("change", function () {
        var file = picker.files && picker.files[0];
        if (!file) { return; }
        file.text().then(function (text) {
          var answers = /\.json$/i.test(file.name) || /^\s*\{/.test(text) ? JSON.parse(text) : fromCsv(text);
          var kept = checked(answers);
          apply(kept);
          save();
          say("Imported " + Object.keys(kept.ratings).length + " ratings from " + file.name +
              (kept.skipped ? " (" + kept.skipped + " unknown entries left out)" : ""));
        }).catch(function (error) {
          say("Nothing was imported: " + (error && error.message ? error.message : "the file could not be read"));
        }).then(function () { picker.value = ""; });
      });
    }
    load();
  }

  // -- job posting text -------------------------------------------------------------------------------------
  function posting(box) {
    var status = document.getElementById("comp-posting-status");
    var preview = document.getElementById("comp-posting-preview");
    function url(input) {
      var page = input.getAttribute("data-page");
      var base = box.getAttribute("data-base");
      return base ? base + page : new URL("../" + page, window.location.href).href;
    }
    function chosen() {
      var result = [];
      box.querySelectorAll(".comp-posting-competency").forEach(function (group) {
        var head = group.querySelector("[data-posting-competency]");
        var indicators = Array.prototype.filter.call(group.querySelectorAll("[data-posting-indicator]"),
          function (input) { return input.checked; });
        if (head.checked || indicators.length) { result.push({ head: head, indicators: indicators }); }
      });
      return result;
    }
    function esc(text) {
      return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
    }
    function md(text) { return text.replace(/([\\`*_[\]<>#])/g, "\\$1"); }
    function render(format) {
      var title = box.getAttribute("data-title"), groups = chosen(), out = [];
      function item(input) { return { code: input.getAttribute("data-code"), text: input.getAttribute("data-text"), url: url(input) }; }
      if (format === "html") {
        out.push("<h3>" + esc(title) + ": competencies</h3>", "<ul>");
        groups.forEach(function (g) {
          var c = item(g.head);
          out.push('  <li><a href="' + esc(c.url) + '">' + esc(c.code) + " " + esc(c.text) + "</a>");
          if (g.indicators.length) {
            out.push("    <ul>");
            g.indicators.forEach(function (input) {
              var i = item(input);
              out.push('      <li><a href="' + esc(i.url) + '">' + esc(i.code) + " " + esc(i.text) + "</a></li>");
            });
            out.push("    </ul>");
          }
          out.push("  </li>");
        });
        out.push("</ul>");
      } else if (format === "markdown") {
        out.push("### " + md(title) + ": competencies", "");
        groups.forEach(function (g) {
          var c = item(g.head);
          out.push("- [" + md(c.code + " " + c.text) + "](" + c.url + ")");
          g.indicators.forEach(function (input) {
            var i = item(input);
            out.push("  - [" + md(i.code + " " + i.text) + "](" + i.url + ")");
          });
        });
      } else {
        out.push(title + ": competencies", "");
        groups.forEach(function (g) {
          var c = item(g.head);
          out.push(c.code + " " + c.text + " <" + c.url + ">");
          g.indicators.forEach(function (input) {
            var i = item(input);
            out.push("  " + i.code + " " + i.text + " <" + i.url + ">");
          });
        });
      }
      return out.join("\n") + "\n";
    }
    var format = "text";
    function update() { preview.value = render(format); }
    box.addEventListener("change", function (event) {
      var head = event.target.closest("[data-posting-competency]");
      if (head) {
        head.closest(".comp-posting-competency").querySelectorAll("[data-posting-indicator]").forEach(function (input) {
          input.checked = head.checked;
        });
      }
      update();
    });
    box.addEventListener("click", function (event) {
      var choose = event.target.closest("[data-posting-action]");
      if (choose) {
        var all = choose.getAttribute("data-posting-action") === "all";
        box.querySelectorAll("input[type=checkbox]").forEach(function (input) { input.checked = all; });
        update();
        return;
      }
      var button = event.target.closest("[data-posting-format]");
      if (!button) { return; }
      format = button.getAttribute("data-posting-format");
      update();
      // competency.js (on every page) copies, with its fallback for plain-http intranets.
      window.competencyCopyText(preview.value).then(function () {
        status.textContent = "Copied as " + button.textContent.replace(/^Copy as /, "");
      }, function () {
        status.textContent = "Copy failed: select the text below and copy it";
      });
    });
    update();
  }

  function ready() {
    var form = document.getElementById("comp-self-assessment");
    if (form) { selfAssessment(form); }
    var box = document.getElementById("comp-posting");
    if (box) { posting(box); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
