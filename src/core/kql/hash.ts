// Open-addressing hash table from numbers to dense ids (typed arrays; much cheaper than Map/Set for
// millions of numeric keys such as group × value pairs).

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

export class NumIds {
  private keys: Float64Array;
  private ids: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keys = new Float64Array(cap);
    this.ids = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }

  private static hash(k: number): number {
    if ((k | 0) === k) {
      // small integers (codes, group × code pairs): one multiply
      const h = Math.imul(k, 0x9e3779b1);
      return (h ^ (h >>> 16)) >>> 0;
    }
    // mix the two 32-bit halves of the number's bits
    F64[0] = k;
    const lo = U32[0];
    const hi = U32[1];
    let h = Math.imul(lo ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(hi ^ 0x7f4a7c15, 0xc2b2ae35);
    h ^= h >>> 15;
    h = Math.imul(h, 0x27d4eb2f);
    return (h ^ (h >>> 13)) >>> 0;
  }

  /** The id of k, adding it (with the next id) when new. NaN keys are one key. */
  idOf(k: number): number {
    if (k !== k) k = -0.123456789e-300; // NaN: a sentinel that real data does not hold
    let i = NumIds.hash(k) & this.mask;
    for (;;) {
      const id = this.ids[i];
      if (id < 0) {
        this.keys[i] = k;
        this.ids[i] = this.size++;
        if (this.size * 2 > this.mask) this.grow();
        return this.size - 1;
      }
      if (this.keys[i] === k) return id;
      i = (i + 1) & this.mask;
    }
  }

  /** Adds k; true when it was not there before. */
  add(k: number): boolean {
    const before = this.size;
    this.idOf(k);
    return this.size > before;
  }

  private grow(): void {
    const oldK = this.keys,
      oldI = this.ids;
    const cap = oldK.length * 2;
    this.keys = new Float64Array(cap);
    this.ids = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let j = 0; j < oldK.length; j++) {
      const id = oldI[j];
      if (id < 0) continue;
      const k = oldK[j];
      let i = NumIds.hash(k) & this.mask;
      while (this.ids[i] >= 0) i = (i + 1) & this.mask;
      this.keys[i] = k;
      this.ids[i] = id;
    }
  }
}
