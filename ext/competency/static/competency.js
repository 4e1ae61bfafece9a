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

  function ready() {
    nameToggles();
    notePrintAddresses();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
