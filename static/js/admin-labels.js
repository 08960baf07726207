// Django's autocompletes (select2) are drawn without accessible names (axe: critical and serious):
// - a single-value box takes its name from the value shown, so an empty one has none;
// - a multi-value box puts a search field on the page with no label.
// Each gets the label of its field, and again whenever select2 draws it anew.
"use strict";
(function () {
  function fieldLabel(select) {
    var label = select && select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }
  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var shown = document.getElementById("select2-" + select.id + "-container");
      var name = fieldLabel(select);
      if (shown && name && !shown.hasAttribute("aria-label")) {
        shown.setAttribute("aria-label", name);
      }
    });
    document.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (box) {
      var container = box.closest(".select2-container");
      var select = container && container.previousElementSibling; // select2 draws right after its <select>
      box.setAttribute("aria-label", fieldLabel(select) || "Search");
    });
  }
  window.addEventListener("load", function () {
    nameAutocompletes();
    new MutationObserver(nameAutocompletes).observe(document.body, { childList: true, subtree: true });
  });
})();
