// xiaoneng shell behaviour. No inline scripts anywhere (the CSP forbids them).
document.addEventListener("DOMContentLoaded", function () {
  // Language switcher submits on change.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // A form submits once: the button is disabled on submit (the server is idempotent too).
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });
  // Collapsing navbar without Bootstrap's JS.
  document.querySelectorAll("[data-xn-toggle]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      document.getElementById(btn.getAttribute("data-xn-toggle")).classList.toggle("show");
    });
  });
});
document.addEventListener("htmx:configRequest", function (evt) {
  var token = document.querySelector("meta[name=csrf-token]");
  if (token) { evt.detail.headers["X-CSRFToken"] = token.content; }
});
