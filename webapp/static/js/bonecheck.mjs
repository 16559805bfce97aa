// Starts the NHS.UK design system's components (error summary focus, radios,
// exclusive checkboxes, header menu). A file, not inline, to satisfy the CSP.
import { initAll } from "/assets/nhsuk-frontend.min.js";

initAll();
