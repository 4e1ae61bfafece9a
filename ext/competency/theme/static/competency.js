// Copy an item page's permanent link to the clipboard; small accessibility and print helpers.
// Intranet sites are often served over plain http, where navigator.clipboard does not exist,
// so a hidden text area and execCommand("copy") are the fallback.
(function () {
  "use strict";

  function permanentUrl(anchor) {
    return new URL(anchor.getAttribute("href"), window.location.href).href.split("#")[0];
  }

  function copyWithTextArea(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return copyWithTextArea(text); });
    }
    return copyWithTextArea(text);
  }
  // The HR forms' posting text (comp-forms.js) copies with the same function.
  window.competencyCopyText = copy;

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-link]");
    if (!button) { return; }
    var box = button.closest(".comp-permalink");
    var url = permanentUrl(box.querySelector(".comp-permalink-url"));
    var status = box.querySelector(".comp-copy-status");
    copy(url).then(function () {
      status.textContent = "Link copied";
    }, function () {
      status.textContent = "Copy failed: select the link and copy it";
    });
  });

  // Name each expand/collapse toggle of the navigation after the page it opens, for screen readers
  // (the template gives them a generic name when scripts do not run).
  function nameToggles() {
    document.querySelectorAll(".bd-sidenav li.has-children > details > summary").forEach(function (summary) {
      var link = summary.closest("li").querySelector(":scope > a");
      if (link) { summary.setAttribute("aria-label", "Show or hide the pages under " + link.textContent.trim()); }
    });
  }

  // Printed pages show where each link of the article goes, as a full address (see competency.css).
  function notePrintAddresses() {
    document.querySelectorAll(".bd-article a[href]:not(.headerlink)").forEach(function (anchor) {
      var address = anchor.href;
      if (address && anchor.textContent.trim() !== address) { anchor.setAttribute("data-print-href", address); }
    });
  }

  // Printing shows everything: folded parts are opened first.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".bd-article details:not([open])").forEach(function (details) {
      details.setAttribute("open", "");
      details.setAttribute("data-opened-for-print", "");
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-opened-for-print]").forEach(function (details) {
      details.removeAttribute("open");
      details.removeAttribute("data-opened-for-print");
    });
  });

  // Search result summaries: Sphinx's search (searchtools.js, Search.htmlToText) fetches each found
  // page and shows text from its [role=main] element, which in pydata-sphinx-theme also holds the
  // breadcrumbs, the previous/next links and the page's table of contents. The summary is taken from
  // the article alone, without its buttons and permanent-link box, whitespace collapsed: plain words
  // of the page. (Search.htmlToText is Sphinx's own helper, replaced only on the search page.)
  function articleText(htmlString, anchor) {
    var page = new DOMParser().parseFromString(htmlString, "text/html");
    var article = page.querySelector("[role=main] article") || page.querySelector("[role=main]");
    if (!article) { return ""; }
    if (anchor && article.querySelector(anchor)) { article = article.querySelector(anchor); }
    article.querySelectorAll(".headerlink, script, style, button, .comp-permalink, .comp-copy-status")
      .forEach(function (element) { element.remove(); });
    return article.textContent.replace(/\s+/g, " ").trim();
  }

  function summariseArticles() {
    if (typeof Search !== "undefined" && Search.htmlToText) {
      Search.htmlToText = articleText;
    }
  }

  function ready() {
    nameToggles();
    notePrintAddresses();
    summariseArticles();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
