// The receipt's 打印回执 button: shown and wired only when scripts run (CSP allows no inline script).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
