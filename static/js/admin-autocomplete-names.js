// Django's autocomplete boxes (select2) take their accessible name from the value shown, so an empty one has none
// (axe: serious). Once they are built (after the page's ready handlers), each is named after its field's label.
window.addEventListener("load", function () {
  document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    var shown = document.getElementById("select2-" + select.id + "-container");
    if (label && shown) {
      shown.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
    }
  });
});
