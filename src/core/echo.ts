// Bounded echoes: input shown back in a message or a log line is cut to a readable length, so a 10 MB id or URL
// is never repeated in full (and a line of control characters cannot rewrite the terminal).

/** The text as shown in a message: control characters escaped, at most `max` characters plus a length note. */
export function echo(text: unknown, max = 120): string {
  const s = String(text);
  const head = s.length > max ? s.slice(0, max) : s;
  const safe = head.replace(
    // eslint-disable-next-line no-control-regex -- control characters are what this escapes
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return s.length > max ? `${safe}… (${s.length.toLocaleString('en-US')} characters)` : safe;
}
