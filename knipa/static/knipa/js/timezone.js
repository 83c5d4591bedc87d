// Suggest the device's own time zone on the onboarding step. The server renders a sensible
// default, so without JavaScript the form still works; with it, most people need not scroll
// through hundreds of zones.
const select = document.querySelector("select[data-detect-time-zone]");
if (select) {
  let detected = "";
  try {
    detected = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    detected = "";
  }
  if (detected && [...select.options].some((option) => option.value === detected)) {
    select.value = detected;
  }
}
