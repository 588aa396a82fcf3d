// The official Kusto library's bridge files, which define the globals Bridge, System and Kusto. Bundled on
// its own (dist/kusto-bridge.js) so that the processes that never parse KQL, and those started from the
// start-up snapshot (where the globals already exist), do not load its 5 MB.
/* eslint-disable @typescript-eslint/no-explicit-any -- Bridge.NET's globals are untyped JavaScript */
require('@kusto/language-service-next/bridge.min.js');
keysAsData((globalThis as any).System);
require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');

/**
 * Bridge.NET's Dictionary<string, T> keeps string keys in a plain object and calls
 * `buckets.hasOwnProperty(key)`: a column, alias or bag key named `hasOwnProperty` makes the parser throw,
 * and one named `__proto__` is lost. Turning off that "simple key" mode for every instantiation of the
 * generic type (each is looked up through its cache before its constructor runs) makes every dictionary
 * use the ordinary hashed buckets, where a key is only data.
 */
function keysAsData(System: any): void {
  const generic = System?.Collections?.Generic?.Dictionary$2;
  if (!generic || !Array.isArray(generic.$cache)) return;
  const patched = new WeakSet<object>();
  const patch = (type: any) => {
    const proto = type?.prototype;
    if (!proto || patched.has(proto)) return;
    patched.add(proto);
    Object.defineProperty(proto, 'isSimpleKey', {
      get: () => false,
      set() {
        /* always hashed */
      },
      configurable: true,
    });
  };
  for (const entry of generic.$cache) patch(entry.type);
  const push = generic.$cache.push;
  generic.$cache.push = function (...entries: any[]) {
    for (const entry of entries) {
      // the prototype is complete only after the define that pushes the entry: patch on first lookup
      let type = entry.type;
      Object.defineProperty(entry, 'type', {
        get() {
          patch(type);
          return type;
        },
        set(v) {
          type = v;
        },
        configurable: true,
        enumerable: true,
      });
    }
    return push.apply(this, entries);
  };
}
