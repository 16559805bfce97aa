// Shows the "Print this page" button (hidden without JavaScript, where it could not work)
// and prints the page when it is pressed. A file, not inline, to satisfy the CSP.
for (const button of document.querySelectorAll("[data-bonecheck-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
