// xiaoneng shell behaviour. No inline scripts anywhere (the CSP forbids them).
document.addEventListener("DOMContentLoaded", function () {
  // Language switcher submits on change.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // A form submits once: the button is disabled on submit (the server is idempotent too).
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      // Disable after the browser has collected the form data: a button disabled during the
      // submit event would drop its own name=value (e.g. decision=return) from the request.
      setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
  // Collapsing navbar without Bootstrap's JS.
  document.querySelectorAll("[data-xn-toggle]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var open = document.getElementById(btn.getAttribute("data-xn-toggle")).classList.toggle("show");
      btn.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });
});
document.addEventListener("htmx:configRequest", function (evt) {
  var token = document.querySelector("meta[name=csrf-token]");
  if (token) { evt.detail.headers["X-CSRFToken"] = token.content; }
});
