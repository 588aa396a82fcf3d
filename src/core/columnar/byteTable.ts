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
  // open addressing, 4 ints a slot: hash, value, offset of the key's bytes in the arena, key length + 1 (0: empty).
  // A lookup reads one slot and the key's bytes: two cache lines, not four (large dictionaries miss the caches).
  private slots = new Int32Array(64 * 4);
  private arena = new Uint8Array(1024);
  private used = 0; // arena bytes in use
  private n = 0;

  get size(): number {
    return this.n;
  }

  // 32-bit views of the arena and of the last buffer looked up in: keys are compared four bytes at a time
  private arenaView: DataView<ArrayBufferLike> = new DataView(this.arena.buffer);
  private lastBuf: Uint8Array | null = null;
  private bufView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  /** The value stored for the ASCII bytes [start, end) with hash `h`, or -1. */
  get(b: Uint8Array, start: number, end: number, h: number): number {
    const slots = this.slots;
    const mask = slots.length - 4;
    const len1 = end - start + 1;
    if (b !== this.lastBuf) {
      this.lastBuf = b;
      this.bufView = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    const bv = this.bufView,
      av = this.arenaView;
    for (let i = (h << 2) & mask; ; i = (i + 4) & mask) {
      const l1 = slots[i + 3];
      if (l1 === 0) return -1;
      if (slots[i] !== h || l1 !== len1) continue;
      const o = slots[i + 2] - start;
      let j = start;
      while (j + 4 <= end && av.getInt32(o + j) === bv.getInt32(j)) j += 4;
      while (j < end && av.getUint8(o + j) === bv.getUint8(j)) j++;
      if (j === end) return slots[i + 1];
    }
  }

  /** The value stored for the ASCII text `s` whose hash is `h`, or -1. */
  getText(s: string, h: number): number {
    const slots = this.slots;
    const mask = slots.length - 4;
    const len = s.length;
    const arena = this.arena;
    for (let i = (h << 2) & mask; ; i = (i + 4) & mask) {
      const l1 = slots[i + 3];
      if (l1 === 0) return -1;
      if (slots[i] !== h || l1 !== len + 1) continue;
      const o = slots[i + 2];
      let j = 0;
      while (j < len && arena[o + j] === s.charCodeAt(j)) j++;
      if (j === len) return slots[i + 1];
    }
  }

  /** Stores `val` for the ASCII text `key` whose hash is `h` (the key must not be in the table). */
  set(key: string, h: number, val: number): void {
    const o = this.used;
    if (o + key.length > this.arena.length) {
      const a = new Uint8Array(Math.max(this.arena.length * 2, o + key.length));
      a.set(this.arena.subarray(0, o));
      this.arena = a;
      this.arenaView = new DataView(a.buffer);
    }
    for (let j = 0; j < key.length; j++) this.arena[o + j] = key.charCodeAt(j);
    this.used = o + key.length;
    this.n++;
    // at most half the slots in use
    if (this.n * 2 > this.slots.length / 4) this.rehash(this.slots.length * 2);
    this.place(this.slots, h, val, o, key.length + 1);
  }

  private place(slots: Int32Array, h: number, val: number, off: number, len1: number): void {
    const mask = slots.length - 4;
    let i = (h << 2) & mask;
    while (slots[i + 3] !== 0) i = (i + 4) & mask;
    slots[i] = h;
    slots[i + 1] = val;
    slots[i + 2] = off;
    slots[i + 3] = len1;
  }

  private rehash(size: number): void {
    const old = this.slots;
    const slots = new Int32Array(size);
    for (let i = 0; i < old.length; i += 4)
      if (old[i + 3] !== 0) this.place(slots, old[i], old[i + 1], old[i + 2], old[i + 3]);
    this.slots = slots;
  }
}
