/* The item page's 打印一次性告知单 button: opens the browser's print dialog (print.css lays the
   page out as the one-time notice). Without this script the button is a link to the help text
   next to it, which explains printing from the browser's menu. No inline script (CSP). */
(function () {
  "use strict";
  function print(event) {
    event.preventDefault();
    window.print();
  }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    // With the script it acts as a button, so it answers the Space key as buttons do.
    button.setAttribute("role", "button");
    button.addEventListener("click", print);
    button.addEventListener("keydown", function (event) {
      if (event.key === " ") { print(event); }
    });
  });
})();
