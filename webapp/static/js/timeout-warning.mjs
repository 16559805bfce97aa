// The self-check's timeout warning (the NHS.UK/GOV.UK pattern). The server deletes the
// answers after SESSION minutes without a request; this opens a dialog WARN minutes
// before, whose "Keep my answers" sends one request to restart the clock. If the time
// runs out with the dialog open, the page moves to "Your answers have been deleted".
// The page's own timers count from when its session was last signed (a little before
// the page, at most a minute); after "Keep my answers" they count the whole limit.
export function startTimeoutWarning(dialog) {
  let warnAfter = Number(dialog.dataset.warnAfter) * 1000;
  let endsAfter = Number(dialog.dataset.endsAfter) * 1000;
  let warnTimer;
  let endTimer;

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(() => dialog.showModal(), warnAfter);
    endTimer = setTimeout(() => window.location.assign(dialog.dataset.endedUrl), endsAfter);
  }

  dialog.querySelector("[data-timeout=keep]").addEventListener("click", async () => {
    const response = await fetch(dialog.dataset.keepUrl, {
      method: "POST",
      headers: { "X-CSRFToken": dialog.dataset.csrf },
      credentials: "same-origin",
    });
    if (!response.ok) {
      window.location.assign(dialog.dataset.endedUrl);
      return;
    }
    dialog.close();
    warnAfter = Number(dialog.dataset.keptWarnAfter) * 1000;
    endsAfter = Number(dialog.dataset.keptEndsAfter) * 1000;
    schedule();
  });
  // Escape closes a modal dialog: that is "keep my answers" too, so the clock restarts.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    dialog.querySelector("[data-timeout=keep]").click();
  });
  schedule();
}
