/**
 * A set of a shard's document ordinals as a bitmap: 1 bit per document of the shard, whatever the set holds (the
 * documents a stage leaves out: repeated ids, and in an earlier run the removed ones).
 * Internal module, not public API.
 */
export class OrdinalSet {
  private readonly bits: Uint32Array;
  /** Members added. */
  size = 0;

  /** @param documents - documents of the shard: ordinals are in [0, documents) */
  constructor(readonly documents: number) {
    this.bits = new Uint32Array(Math.ceil(documents / 32));
  }

  add(ordinal: number): void {
    const w = ordinal >>> 5;
    const m = 1 << (ordinal & 31);
    if ((this.bits[w]! & m) === 0) this.size++;
    this.bits[w] = this.bits[w]! | m;
  }

  has(ordinal: number): boolean {
    return ordinal < this.documents && (this.bits[ordinal >>> 5]! & (1 << (ordinal & 31))) !== 0;
  }
}
