// Spoken cues (speechSynthesis) in the page's language, so a round can be done with the eyes
// closed. The cue texts come from the server already translated; this only picks a voice.

const VOICE_LANGUAGES = { sv: "sv-SE", en: "en-GB" };

export function speechLanguage(pageLanguage) {
  const base = (pageLanguage || "sv").toLowerCase().split("-")[0];
  return VOICE_LANGUAGES[base] || pageLanguage || "sv-SE";
}

export class CueVoice {
  constructor(pageLanguage) {
    this.lang = speechLanguage(pageLanguage);
    this.enabled = true;
    this.voice = null;
    this.synth = "speechSynthesis" in window ? window.speechSynthesis : null;
    if (this.synth) {
      this.pickVoice();
      this.synth.addEventListener?.("voiceschanged", () => this.pickVoice());
    }
  }

  get available() {
    return this.synth !== null && typeof window.SpeechSynthesisUtterance === "function";
  }

  pickVoice() {
    const voices = this.synth.getVoices() || [];
    const exact = voices.find((voice) => voice.lang === this.lang);
    const base = this.lang.split("-")[0];
    const sameLanguage = voices.find((voice) => (voice.lang || "").toLowerCase().startsWith(base));
    this.voice = exact || sameLanguage || null;
  }

  speak(text) {
    if (!this.enabled || !this.available || !text) return;
    // A new cue replaces what is still being said: the words must match the moment.
    this.synth.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = this.lang;
    if (this.voice) utterance.voice = this.voice;
    utterance.rate = 0.95;
    this.synth.speak(utterance);
  }

  cancel() {
    if (this.available) this.synth.cancel();
  }
}
