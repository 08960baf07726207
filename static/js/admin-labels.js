// The admin's autocompletes for several values (select2) put a search box on the page with no label (axe "label",
// critical). Each gets the label of its field, and again whenever select2 draws it anew.
"use strict";
(function () {
  function labelSearchBoxes() {
    document.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (box) {
      var container = box.closest(".select2-container");
      var select = container && container.previousElementSibling; // select2 draws right after its <select>
      var label = select && select.id && document.querySelector('label[for="' + select.id + '"]');
      box.setAttribute("aria-label", label ? label.textContent.replace(/:\s*$/, "").trim() : "Search");
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    labelSearchBoxes();
    new MutationObserver(labelSearchBoxes).observe(document.body, { childList: true, subtree: true });
  });
})();
