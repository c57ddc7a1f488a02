/**
 * Which documents of an `addMany` pool may go in the same script call, and in which order, with no allocation per
 * document and round beyond the shared keys of the few documents that share one: a pool of up to `batchSize`
 * documents is looked at again each round, so what is done there per document is done ~2.5 times per document.
 * Internal module, not public API.
 */

/**
 * A table from 30-bit keys to small counts or states, cleared in O(1) by a new stamp: open addressing (linear
 * probing) in typed arrays, sized to the entries of one round. Keys are never removed within a round.
 * @internal
 */
export class KeyTable {
  private keys = new Int32Array(0);
  private values = new Int32Array(0);
  private stamps = new Int32Array(0);
  private stamp = 0;
  private mask = -1;
  private shift = 32;

  /** Empties the table, making room for `entries` keys (at most half full). */
  reset(entries: number): void {
    if (2 * entries > this.keys.length) {
      let size = 1024;
      while (size < 2 * entries) size *= 2;
      this.keys = new Int32Array(size);
      this.values = new Int32Array(size);
      this.stamps = new Int32Array(size);
      this.mask = size - 1;
      this.shift = 32 - Math.log2(size);
      this.stamp = 0;
    }
    if (++this.stamp === 0x7fffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
  }

  /** The value of `key`, 0 if absent. */
  get(key: number): number {
    const at = this.find(key);
    return this.stamps[at] === this.stamp ? this.values[at]! : 0;
  }

  set(key: number, value: number): void {
    const at = this.find(key);
    this.stamps[at] = this.stamp;
    this.keys[at] = key;
    this.values[at] = value;
  }

  /** Adds 1 to the value of `key`. */
  increment(key: number): void {
    const at = this.find(key);
    if (this.stamps[at] === this.stamp) this.values[at]!++;
    else {
      this.stamps[at] = this.stamp;
      this.keys[at] = key;
      this.values[at] = 1;
    }
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  private find(key: number): number {
    const mask = this.mask;
    let at = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (this.stamps[at] === this.stamp && this.keys[at] !== key) at = (at + 1) & mask;
    return at;
  }
}

/**
 * The keys a document may share with other documents of a batch, as 30-bit hashes: its id, its exact key and its band
 * entries (`parts`: band byte + 4-byte band key each). Two different keys that hash alike only link two documents without need (they then keep their order:
 * the verdicts cannot change), so 30 bits do. @internal
 */
export function keysOf(idHash: number, empty: boolean, keyHi: number, keyLo: number, parts: Uint8Array): number[] {
  const keys = [idHash & 0x3fffffff];
  if (empty) return keys;
  keys.push((Math.imul(keyHi, 0x9e3779b1) ^ keyLo) & 0x3fffffff);
  for (let at = 0; at < parts.length; at += 5) {
    const key = parts[at + 1]! | (parts[at + 2]! << 8) | (parts[at + 3]! << 16) | (parts[at + 4]! << 24);
    keys.push((Math.imul(parts[at]! + 1, 0x85ebca6b) ^ key) & 0x3fffffff);
  }
  return keys;
}

/**
 * Per document of a batch, the keys it shares with other documents of the batch (band entries, exact key, id), or
 * null when it shares none (most documents): only documents that share a key can change each other's verdict (one
 * is a candidate of the other, or they race for an id), so only their order matters. @internal
 */
export function sharedKeys(keys: readonly (readonly number[])[], table: KeyTable): (number[] | null)[] {
  let entries = 0;
  for (const k of keys) entries += k.length;
  table.reset(entries);
  for (const k of keys) for (let i = 0; i < k.length; i++) table.increment(k[i]!);
  const out: (number[] | null)[] = new Array(keys.length);
  for (let d = 0; d < keys.length; d++) {
    const k = keys[d]!;
    let shared: number[] | null = null;
    for (let i = 0; i < k.length; i++) if (table.get(k[i]!) > 1) (shared ??= []).push(k[i]!);
    out[d] = shared;
  }
  return out;
}

/**
 * The positions of the documents (in order) worth sending in the next round. A document that shares a key with one
 * sent before it in the round will most likely wait (that one is usually stored first and becomes its unseen
 * candidate); the documents after it that share a key with it, or with one held back, would be deferred by the
 * script, so they are held back here (keys: 1 touched by a document sent, 2 blocked). The first document is always
 * sent, and holding back only delays: the script still defers whatever must wait. @internal
 */
export function sendable(shared: readonly (readonly number[] | null)[], table: KeyTable): number[] {
  let entries = 0;
  for (const k of shared) entries += k === null ? 0 : k.length;
  table.reset(entries);
  const round: number[] = [];
  for (let d = 0; d < shared.length; d++) {
    const keys = shared[d];
    if (keys === null || keys === undefined) {
      round.push(d);
      continue;
    }
    let blocked = false;
    let touched = false;
    for (let i = 0; i < keys.length; i++) {
      const s = table.get(keys[i]!);
      if (s === 2) blocked = true;
      else if (s === 1) touched = true;
    }
    if (!blocked) round.push(d);
    const mark = blocked || touched ? 2 : 1;
    for (let i = 0; i < keys.length; i++) if (mark === 2 || table.get(keys[i]!) === 0) table.set(keys[i]!, mark);
  }
  return round;
}
