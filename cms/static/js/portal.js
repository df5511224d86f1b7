/* County portal: the collapsible navigation on narrow screens and the article font size controls.
   A static file because the Content-Security-Policy refuses inline scripts; without it the navigation
   stays open and the font size controls stay hidden, so nothing depends on it. */
(function () {
  "use strict";

  var FONT_STEP_KEY = "portal-font-step";
  var FONT_STEPS = [-1, 0, 1, 2];

  function setUpNavigation() {
    var header = document.querySelector(".site-header");
    var toggle = header && header.querySelector(".nav-toggle");
    if (!toggle) {
      return;
    }
    header.classList.add("nav-collapsible");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      header.classList.toggle("nav-open", open);
    });
  }

  function storedStep() {
    try {
      var step = parseInt(window.localStorage.getItem(FONT_STEP_KEY), 10);
      return FONT_STEPS.indexOf(step) >= 0 ? step : 0;
    } catch (error) {
      return 0; // storage refused (private mode, disabled): the default size
    }
  }

  function storeStep(step) {
    try {
      window.localStorage.setItem(FONT_STEP_KEY, String(step));
    } catch (error) {
      // The size still applies to this page.
    }
  }

  function setUpFontSize() {
    var controls = document.querySelector("[data-font-controls]");
    var article = document.querySelector("[data-font-step]");
    if (!controls || !article) {
      return;
    }

    function apply(step) {
      article.setAttribute("data-font-step", String(step));
      controls.querySelectorAll("button").forEach(function (button) {
        var change = button.getAttribute("data-font-change");
        var next = change === "reset" ? 0 : step + parseInt(change, 10);
        button.disabled = FONT_STEPS.indexOf(next) < 0 || (change === "reset" && step === 0);
      });
    }

    controls.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-font-change]");
      if (!button) {
        return;
      }
      var change = button.getAttribute("data-font-change");
      var current = parseInt(article.getAttribute("data-font-step"), 10) || 0;
      var step = change === "reset" ? 0 : current + parseInt(change, 10);
      if (FONT_STEPS.indexOf(step) < 0) {
        return;
      }
      storeStep(step);
      apply(step);
    });
    controls.hidden = false;
    apply(storedStep());
  }

  setUpNavigation();
  setUpFontSize();
})();
