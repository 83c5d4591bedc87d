// The summary's "Print or save as PDF" button. Without JavaScript the button stays hidden and the
// browser's own Print menu does the same; the print styles in app.css shape the page either way.
for (const button of document.querySelectorAll("button[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
