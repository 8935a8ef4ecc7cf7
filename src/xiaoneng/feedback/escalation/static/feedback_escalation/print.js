// The notice page's print button (no inline handlers: the CSP forbids them).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-xn-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
