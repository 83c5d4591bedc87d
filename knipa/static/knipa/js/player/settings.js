// The player's toggles (sound, voice, vibration, keyboard shortcuts), remembered in this browser.

const PREFIX = "knipa.player.";

function read(key) {
  try {
    return window.localStorage.getItem(PREFIX + key);
  } catch (error) {
    return null; // Storage may be blocked (private mode, a strict setting): use the default.
  }
}

function write(key, value) {
  try {
    window.localStorage.setItem(PREFIX + key, value);
  } catch (error) {
    // Not remembered this time; the toggle still works for this page.
  }
}

export function remembered(key, fallback) {
  return read(key) ?? fallback;
}

export function remember(key, value) {
  write(key, value);
}

/**
 * Bind every checkbox `input[data-setting]` inside `container` to localStorage and call
 * `onChange(name, checked)` now and on every change.
 */
export function bindSettings(container, onChange) {
  const values = {};
  for (const box of container.querySelectorAll("input[type=checkbox][data-setting]")) {
    const name = box.dataset.setting;
    const stored = read(name);
    if (stored !== null) box.checked = stored === "on";
    values[name] = box.checked;
    onChange(name, box.checked);
    box.addEventListener("change", () => {
      values[name] = box.checked;
      write(name, box.checked ? "on" : "off");
      onChange(name, box.checked);
    });
  }
  return values;
}
