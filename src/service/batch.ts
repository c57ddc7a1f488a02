/**
 * Which documents of an `addMany` pool may go in the same script call, and in which order, with no allocation per
 * document and round beyond the shared keys of the few documents that share one (the counts and states live in one
 * reused `IntTable`): a pool of up to `batchSize` documents is looked at again each round, so what is done there per
 * document is done ~2.5 times per document.
 * Internal module, not public API.
 */
import type { IntTable } from '../internal/int-table';

/**
 * The keys a document may share with other documents of a batch, as 30-bit hashes (uniform low bits, as `IntTable`
 * wants them): its id, its exact key and its band entries (`parts`: band byte + 4-byte band key each). Two
 * different keys that hash alike only link two documents without need (they then keep their order: the verdicts
 * cannot change), so 30 bits do. @internal
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
export function sharedKeys(keys: readonly (readonly number[])[], table: IntTable): (number[] | null)[] {
  table.clear();
  for (const k of keys) {
    for (let i = 0; i < k.length; i++) {
      const j = table.claim(k[i]!);
      const count = table.valueAt(j);
      table.setValueAt(j, count < 0 ? 1 : count + 1);
    }
  }
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
 * script, so they are held back here (a key's state in `table`: 1 touched by a document sent, 2 blocked, -1 neither).
 * The first document is always sent, and holding back only delays: the script still defers whatever must wait.
 * @internal
 */
export function sendable(shared: readonly (readonly number[] | null)[], table: IntTable): number[] {
  table.clear();
  const round: number[] = [];
  for (let d = 0; d < shared.length; d++) {
    const keys = shared[d] ?? null;
    if (keys === null) {
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
    for (let i = 0; i < keys.length; i++) if (mark === 2 || table.get(keys[i]!) < 0) table.set(keys[i]!, 0, mark);
  }
  return round;
}
