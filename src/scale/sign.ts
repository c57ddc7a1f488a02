/**
 * The sign stage: per document, one 64-bit hash per band (and its exact key, and its id key), collected per
 * band and part and sorted — the runs the pairs stage merges.
 * Internal module, not public API.
 */
import type { PreparedDocument } from '../dedup/prepare';
import { bandKey } from '../lsh/band-key';
import { isEmptySignature } from '../minhash/types';
import { sortRecords4 } from './records';
import { partOf, type ScaleSetup } from './setup';

/** Seed offset of the band hash's low word: an independent second 32-bit key of the same rows. */
const LOW_SEED = 0x5bd1e995;

/** Growable list of 4-word records. */
class Run {
  words = new Uint32Array(64);
  count = 0;
  push(a: number, b: number, c: number, d: number): void {
    if (4 * this.count + 4 > this.words.length) {
      const next = new Uint32Array(this.words.length * 2);
      next.set(this.words);
      this.words = next;
    }
    const w = this.words;
    const at = 4 * this.count++;
    w[at] = a;
    w[at + 1] = b;
    w[at + 2] = c;
    w[at + 3] = d;
  }
}

/**
 * Collects a shard's band, exact-key and id-key records. Band `b < bands` holds `(hash64, shard, ordinal)` where
 * the hash's high word is the in-memory index's 32-bit key of the band and the low word a second key of the same
 * rows; band `bands` holds exact keys (xxh64 of the normalized text); band `bands + 1` holds id keys (one part).
 * Memory: 16 B per document per band (the shard's runs are sorted in memory before they are written).
 */
export class BandCollector {
  private readonly runs: Run[][];
  private readonly ids = new Run();

  constructor(private readonly setup: ScaleSetup, private readonly shard: number) {
    this.runs = Array.from({ length: setup.bands + 1 }, () => Array.from({ length: setup.parts }, () => new Run()));
  }

  /** Adds document `ordinal` of the shard; `idKey` is its id's 64-bit key (hi, lo), or null when it has none. */
  add(ordinal: number, doc: PreparedDocument, idKey: readonly [number, number] | null): void {
    const { bands, rows, parts } = this.setup;
    if (idKey) this.ids.push(idKey[0] >>> 0, idKey[1] >>> 0, this.shard, ordinal);
    // As in the in-memory detector: an empty document matches nothing; an empty signature is never bucketed.
    if (doc.empty) return;
    this.runs[bands]![partOf(doc.keyHi, parts)]!.push(doc.keyHi, doc.keyLo, this.shard, ordinal);
    const sig = doc.signature;
    if (!sig || isEmptySignature(sig)) return;
    for (let b = 0; b < bands; b++) {
      const hi = bandKey(sig, b * rows, rows, b) >>> 0;
      const lo = bandKey(sig, b * rows, rows, (b ^ LOW_SEED) | 0) >>> 0;
      this.runs[b]![partOf(hi, parts)]!.push(hi, lo, this.shard, ordinal);
    }
  }

  /** The sorted run of band `band` (`bands` for exact keys), part `part`. */
  sortedBand(band: number, part: number): Uint32Array {
    const run = this.runs[band]![part]!;
    return sortRecords4(run.words, run.count);
  }

  /** The sorted id-key run. */
  sortedIds(): Uint32Array {
    return sortRecords4(this.ids.words, this.ids.count);
  }
}
