// Cheap tests of what a file is, by its name or a glance at its text: the editor calls them on every
// document, so they stay free of the YAML parser.

export function isTestFile(file: string): boolean {
  return /\.test\.ya?ml$/i.test(file);
}

/** True when a file's text looks like an analytics rule (cheap; for deciding what to lint). */
export function looksLikeRule(text: string): boolean {
  return (
    /^\s*"?query"?\s*:/m.test(text) &&
    /^\s*"?(queryFrequency|kind|triggerOperator|displayName|severity)"?\s*:/m.test(text)
  );
}
