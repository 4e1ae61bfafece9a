// Copy an item page's permanent link to the clipboard.
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
})();
