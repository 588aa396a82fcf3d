// Property bags are null-prototype objects; tests compare them, as a user sees them in JSON, with
// ordinary object literals (assert's strict deepEqual also compares prototypes).
export function plain<T>(v: T): T {
  if (Array.isArray(v)) return v.map(plain) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v))
      Object.defineProperty(out, k, {
        value: plain((v as Record<string, unknown>)[k]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out as T;
  }
  return v;
}
