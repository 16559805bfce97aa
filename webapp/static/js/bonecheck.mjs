// Starts the NHS.UK design system's components (error summary focus, radios,
// exclusive checkboxes, header menu). A file, not inline, to satisfy the CSP.
import { initAll } from "/assets/nhsuk-frontend.min.js";
import { startTimeoutWarning } from "./timeout-warning.mjs";

initAll();

const timeoutWarning = document.getElementById("timeout-warning");
if (timeoutWarning) {
  startTimeoutWarning(timeoutWarning);
}

// Details that must reach paper (the QFracture credit and disclaimer) open before printing.
window.addEventListener("beforeprint", () => {
  for (const details of document.querySelectorAll("details.bonecheck-open-in-print")) {
    details.open = true;
  }
});
