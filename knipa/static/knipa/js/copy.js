// A "Copy" button beside a read-only field (the calendar address). Without JavaScript the button
// stays hidden and the visible field is the way to copy: tap, select all, copy. With it, one tap
// copies, and a status line says so to everyone, screen readers included.
for (const button of document.querySelectorAll("button[data-copy]")) {
  const field = document.getElementById(button.dataset.copy);
  const status = document.getElementById(button.dataset.copyStatus || "");
  if (!field) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    let copied = false;
    try {
      await navigator.clipboard.writeText(field.value);
      copied = true;
    } catch (error) {
      // Older browsers, or a page not served over HTTPS: select the text and use the old command.
      field.focus();
      field.select();
      try {
        copied = document.execCommand("copy");
      } catch (fallbackError) {
        copied = false;
      }
    }
    if (status) {
      status.textContent = copied ? status.dataset.done : status.dataset.failed;
    }
  });
}
