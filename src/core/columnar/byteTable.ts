// A hash table keyed by ASCII text that is looked up straight from the bytes of a file buffer, so that a value
// already seen costs a hash and a compare instead of a fresh string (the loaders' dictionaries).

/** FNV-1a start value; {@link hashAscii} and the loaders' inline loops (`h = Math.imul(h ^ byte, FNV_PRIME)`) agree. */
export const FNV_START = 0x811c9dc5 | 0;
export const FNV_PRIME = 16777619;

/** The hash of a string's characters when every one is ASCII (the hash its UTF-8 bytes have), else undefined. */
export function hashAscii(s: string): number | undefined {
  let h = FNV_START;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return undefined;
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return h;
}

/** Hash of bytes [start, end) as {@link hashAscii} hashes text. */
export function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = FNV_START;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i], FNV_PRIME);
  return h;
}

/** ASCII bytes [start, end) as a string. */
export function asciiText(b: Buffer, start: number, end: number): string {
  return b.toString('latin1', start, end);
}

export class ByteTable {
  // pairs (entry + 1, hash); entry + 1 = 0: empty
  private slots = new Int32Array(128);
  private vals = new Int32Array(32);
  // each key's bytes, at offs[e] .. offs[e + 1] of the arena
  private offs = new Int32Array(33);
  private arena = new Uint8Array(1024);
  private hashes = new Int32Array(32);
  private n = 0;

  get size(): number {
    return this.n;
  }

  /** The value stored for the ASCII bytes [start, end) with hash `h`, or -1. */
  get(b: Uint8Array, start: number, end: number, h: number): number {
    const slots = this.slots;
    const mask = slots.length - 2;
    const len = end - start;
    const offs = this.offs,
      arena = this.arena;
    for (let i = (h << 1) & mask; ; i = (i + 2) & mask) {
      const e = slots[i] - 1;
      if (e < 0) return -1;
      if (slots[i + 1] !== h) continue;
      const o = offs[e];
      if (offs[e + 1] - o !== len) continue;
      let j = 0;
      while (j < len && arena[o + j] === b[start + j]) j++;
      if (j === len) return this.vals[e];
    }
  }

  /** The value stored for the ASCII text `s` whose hash is `h`, or -1. */
  getText(s: string, h: number): number {
    const slots = this.slots;
    const mask = slots.length - 2;
    const len = s.length;
    const offs = this.offs,
      arena = this.arena;
    for (let i = (h << 1) & mask; ; i = (i + 2) & mask) {
      const e = slots[i] - 1;
      if (e < 0) return -1;
      if (slots[i + 1] !== h) continue;
      const o = offs[e];
      if (offs[e + 1] - o !== len) continue;
      let j = 0;
      while (j < len && arena[o + j] === s.charCodeAt(j)) j++;
      if (j === len) return this.vals[e];
    }
  }

  /** Stores `val` for the ASCII text `key` whose hash is `h` (the key must not be in the table). */
  set(key: string, h: number, val: number): void {
    const n = this.n;
    if (n + 1 >= this.vals.length) {
      const vs = new Int32Array(n * 2 + 2);
      vs.set(this.vals);
      this.vals = vs;
      const hs = new Int32Array(n * 2 + 2);
      hs.set(this.hashes);
      this.hashes = hs;
      const os = new Int32Array(n * 2 + 3);
      os.set(this.offs);
      this.offs = os;
    }
    const o = this.offs[n];
    if (o + key.length > this.arena.length) {
      const a = new Uint8Array(Math.max(this.arena.length * 2, o + key.length));
      a.set(this.arena);
      this.arena = a;
    }
    for (let j = 0; j < key.length; j++) this.arena[o + j] = key.charCodeAt(j);
    this.offs[n + 1] = o + key.length;
    this.vals[n] = val;
    this.hashes[n] = h;
    this.n = n + 1;
    if (this.n * 4 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(n);
  }

  private place(entry: number): void {
    const slots = this.slots;
    const mask = slots.length - 2;
    const h = this.hashes[entry];
    let i = (h << 1) & mask;
    while (slots[i] !== 0) i = (i + 2) & mask;
    slots[i] = entry + 1;
    slots[i + 1] = h;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let e = 0; e < this.n; e++) this.place(e);
  }
}
