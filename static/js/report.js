// The report's print button (a file, not an inline handler: the Content Security Policy forbids those).
document.querySelector("[data-print]")?.addEventListener("click", () => window.print());
