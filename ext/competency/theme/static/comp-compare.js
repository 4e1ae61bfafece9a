/* The offline comparison of two jobs (shared/compare.html?from=<model-id>&to=<model-id>).
 * The data comes from family-data.js, written by the build (compare.py); this script repeats
 * compare.py's comparison for the chosen pair. Text is only ever set as text, never as HTML. */
(function () {
  "use strict";
  var data = window.competencyFamily;
  var form = document.getElementById("comp-compare-form");
  var result = document.getElementById("comp-compare-result");
  if (!data || !form || !result) { return; }
  var root = "../";  // the page is in shared/; pages are named from the site's root
  // Lookups by a name from the address have no inherited keys: "constructor" is no job.
  var byId = Object.create(null);
  data.models.forEach(function (m) { byId[m.id] = m; });
  var renamed = Object.create(null);  // a job's former ids: links made before a rename still compare it
  data.models.forEach(function (m) { (m.aliases || []).forEach(function (a) { if (!byId[a]) { renamed[a] = m.id; } }); });

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }
  function link(page, text) {
    var a = el("a", text);
    a.href = root + page + ".html";
    return a;
  }
  function coded(item, text) {
    var span = el("span", "", "comp-coded");
    span.appendChild(el("span", item.code, "comp-code"));
    span.appendChild(document.createTextNode(" "));
    span.appendChild(link(item.page, text));
    return span;
  }
  function list(items, render, cls) {
    var ul = el("ul", "", cls);
    items.forEach(function (item) { var li = el("li"); li.appendChild(render(item)); ul.appendChild(li); });
    return ul;
  }
  function indicator(i) { return coded(i, i.text); }
  function bySharedId(items) {
    var found = Object.create(null);  // as byId: a shared id may be "constructor"
    items.forEach(function (item) { if (item.shared) { found[item.shared] = item; } });
    return found;
  }
  // An indicator's match key (compare.py, match_key): its shared id, else its words as published.
  function byMatch(items) {
    var found = Object.create(null);
    items.forEach(function (item) { if (!(item.match in found)) { found[item.match] = item; } });
    return found;
  }

  function compare(source, target) {
    var sourceShared = bySharedId(source.competencies);
    var pairs = [], pairedSource = {}, pairedTarget = {};
    target.competencies.forEach(function (t) {
      var s = t.shared && sourceShared[t.shared];
      if (!s) { return; }
      var sInd = byMatch(s.indicators), common = [], keptS = {}, keptT = {};
      t.indicators.forEach(function (i) {
        var same = sInd[i.match];
        if (same) { common.push({source: same, target: i}); keptT[i.id] = true; keptS[same.id] = true; }
      });
      pairs.push({
        shared: t.shared, source: s, target: t, common: common,
        gained: t.indicators.filter(function (i) { return !keptT[i.id]; }),
        left: s.indicators.filter(function (i) { return !keptS[i.id]; })
      });
      pairedSource[s.id] = true;
      pairedTarget[t.id] = true;
    });
    return {
      shared: pairs,
      added: target.competencies.filter(function (c) { return !pairedTarget[c.id]; }),
      dropped: source.competencies.filter(function (c) { return !pairedSource[c.id]; })
    };
  }

  function show(source, target) {
    result.textContent = "";
    if (!source || !target) { result.appendChild(el("p", "Choose two jobs.")); return; }
    if (source.id === target.id) { result.appendChild(el("p", "Choose two different jobs.")); return; }
    var c = compare(source, target);
    result.appendChild(el("h2", "From " + source.title + " to " + target.title));
    result.appendChild(el("p", c.shared.length + " shared competencies, " + c.added.length + " to gain, " +
      c.dropped.length + " no longer needed.", "comp-path-summary"));
    result.appendChild(el("h3", "What the two jobs share"));
    if (!c.shared.length) { result.appendChild(el("p", "The two jobs share no competency.")); }
    result.appendChild(list(c.shared, function (pair) {
      var box = el("div", "", "comp-compare-pair");
      var line = el("p");
      line.appendChild(link(data.shared[pair.shared].page, data.shared[pair.shared].title));
      line.appendChild(document.createTextNode(": "));
      line.appendChild(coded(pair.source, pair.source.title));
      line.appendChild(document.createTextNode(" \u2192 "));
      line.appendChild(coded(pair.target, pair.target.title));
      box.appendChild(line);
      if (pair.common.length) {
        box.appendChild(el("p", "Both list:"));
        // Each job's code of the same words: the source's, then the target's with its page.
        box.appendChild(list(pair.common, function (both) {
          var line = el("span");
          line.appendChild(el("span", both.source.code, "comp-code"));
          line.appendChild(document.createTextNode(" \u2192 "));
          line.appendChild(indicator(both.target));
          return line;
        }));
      }
      if (pair.gained.length) {
        box.appendChild(el("p", "To gain for " + target.title + ":"));
        box.appendChild(list(pair.gained, indicator, "comp-gain"));
      }
      if (pair.left.length) {
        box.appendChild(el("p", "Listed by " + source.title + " only:"));
        box.appendChild(list(pair.left, indicator));
      }
      return box;
    }, "comp-compare-shared"));
    result.appendChild(el("h3", "What " + target.title + " adds"));
    result.appendChild(c.added.length ? list(c.added, function (comp) {
      var box = el("div");
      box.appendChild(coded(comp, comp.title));
      if (comp.indicators.length) { box.appendChild(list(comp.indicators, indicator, "comp-gain")); }
      return box;
    }, "comp-compare-added") : el("p", "None."));
    result.appendChild(el("h3", "What " + source.title + " needs and " + target.title + " does not"));
    result.appendChild(c.dropped.length ? list(c.dropped, function (comp) { return coded(comp, comp.title); },
      "comp-compare-dropped") : el("p", "None."));
  }

  var params = new URLSearchParams(window.location.search);
  var from = document.getElementById("comp-compare-from");
  var to = document.getElementById("comp-compare-to");
  var unknown = [];
  function chosen(select, name) {
    var asked = params.get(name);
    if (asked === null || asked === "") { return true; }
    var id = byId[asked] ? asked : renamed[asked];
    if (id) { select.value = id; return true; }
    unknown.push(asked);
    return false;
  }
  var known = chosen(from, "from");
  known = chosen(to, "to") && known;
  if (!params.get("to") && to.options.length > 1 && to.value === from.value) {
    to.selectedIndex = from.selectedIndex ? 0 : 1;
  }
  if (known) {
    show(byId[from.value], byId[to.value]);
  } else {
    // Never another pair in place of the one asked for: a mistyped or old link says so.
    result.textContent = "";
    result.appendChild(el("p", "This site has no job " + unknown.map(function (id) { return "\u201c" + id + "\u201d"; })
      .join(" or ") + " (the link may be mistyped, or the job not published in this version of the site). " +
      "Choose two jobs and compare them.", "comp-compare-unknown"));
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = "?from=" + encodeURIComponent(from.value) + "&to=" + encodeURIComponent(to.value);
    // The address keeps the choice (a bookmark or a link shows the same comparison); works on file:// too.
    if (window.history && window.history.replaceState) { window.history.replaceState(null, "", query); }
    show(byId[from.value], byId[to.value]);
  });
}());
