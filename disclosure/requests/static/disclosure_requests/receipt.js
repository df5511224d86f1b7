// The receipt's print button: shown only when scripts run (CSP allows no inline handler).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
