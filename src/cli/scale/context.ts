/**
 * What every task of a staged run reads: the plan, where each shard's files are (an earlier run's shards first,
 * with `--against`), and readers over them — docs by ordinal, sorted runs, the documents a stage leaves out.
 */
import { Kind } from '../../envelope';
import { prepareWith } from '../../dedup/prepare';
import { NONE, StageFileError, type FileIdentity } from '../../scale/file';
import type { RunSource } from '../../scale/pairs';
import { bytesToWords, decodeDoc, INDEX_WORDS, REMOVE_WORDS, type StoredDoc } from '../../scale/records';
import { OrdinalSet } from '../../scale/ordinals';
import { idBand, type ScaleSetup } from '../../scale/setup';
import { StageFileIn } from './files';
import { workPaths, type WorkPlan } from './plan';

/** Bytes of one doc index entry. */
export const INDEX_BYTES = 4 * INDEX_WORDS;

/** The context of a task. */
export interface Ctx {
  readonly plan: WorkPlan;
  readonly setup: ScaleSetup;
  readonly work: string;
  /**
   * Every shard of the run by global number: the shards of earlier runs (`--against`) first, then this run's
   * inputs, each as the work folder that holds its files and its index there. Band and id records carry the local
   * index; readers rewrite it to the global one.
   */
  readonly sources: readonly { readonly work: string; readonly shard: number }[];
  /** Global number of this run's shard 0 (the number of earlier shards). */
  readonly base: number;
}

/** The context of a task: the plan and where every shard's files are. */
export function context(p: { plan: WorkPlan; setup: ScaleSetup; work: string }): Ctx {
  const earlier = p.plan.against ?? [];
  const sources = [...earlier.map((a) => ({ work: a.work, shard: a.shard })), ...p.plan.inputs.map((_, shard) => ({ work: p.work, shard }))];
  return { ...p, sources, base: earlier.length };
}

/** The identity a file of this run must have (its options, kind, shard, band, part). */
export const ident = (c: Ctx, kind: FileIdentity['kind'], shard = NONE, band = NONE, part = NONE): FileIdentity => ({ kind, optionsJson: c.setup.json, shard, band, part });

/** Opens a shard's docs and index files for random access by ordinal. */
export class DocReader {
  private readonly open = new Map<number, { docs: StageFileIn; index: StageFileIn }>();
  private readonly optionsHash: number;
  constructor(private readonly c: Ctx) {
    this.optionsHash = prepareWith('', c.setup.options).optionsHash;
  }
  files(shard: number): { docs: StageFileIn; index: StageFileIn } {
    let f = this.open.get(shard);
    if (!f) {
      const src = this.c.sources[shard]!;
      f = {
        docs: new StageFileIn(workPaths.docs(src.work, src.shard), ident(this.c, Kind.ScaleDocs, src.shard)),
        index: new StageFileIn(workPaths.index(src.work, src.shard), ident(this.c, Kind.ScaleDocIndex, src.shard)),
      };
      this.open.set(shard, f);
    }
    return f;
  }
  /** The index record of a document: offset (lo, hi), byte length, text length, exact key (hi, lo). */
  entry(shard: number, ordinal: number): Uint32Array {
    return bytesToWords(this.entryBytes(shard, ordinal).slice());
  }
  /** The index record's bytes (a view into a cached block: read it before the next call). */
  private entryBytes(shard: number, ordinal: number): Uint8Array {
    const { index } = this.files(shard);
    if (ordinal >= index.header.records) throw new StageFileError(index.path, `has ${index.header.records} documents, ordinal ${ordinal} asked for`);
    return index.read(INDEX_BYTES * ordinal, INDEX_BYTES);
  }
  /**
   * The exact keys (hi, lo) of `count` documents given as (shard, ordinal) pairs, in their order. The requests are
   * bucketed by index block (one counting pass), so each block is read and checked once.
   */
  exactKeys(members: Uint32Array, count: number): Uint32Array {
    const shards = this.c.sources.length;
    const firstBlock = new Float64Array(shards + 1);
    const perBlock: number[] = [];
    for (let g = 0; g < shards; g++) {
      const { index } = this.files(g);
      // Index blocks hold whole entries (written so; checked), so an entry never straddles two.
      if (index.header.blockBytes % INDEX_BYTES !== 0) throw new StageFileError(index.path, `block size ${index.header.blockBytes} is not a multiple of ${INDEX_BYTES} (an index written otherwise)`);
      perBlock.push(index.header.blockBytes / INDEX_BYTES);
      firstBlock[g + 1] = firstBlock[g]! + index.blocks;
    }
    const bucketOf = new Uint32Array(count);
    const starts = new Uint32Array(firstBlock[shards]! + 1);
    for (let i = 0; i < count; i++) {
      const g = members[2 * i]!;
      const ordinal = members[2 * i + 1]!;
      const { index } = this.files(g);
      if (ordinal >= index.header.records) throw new StageFileError(index.path, `has ${index.header.records} documents, ordinal ${ordinal} asked for`);
      const b = firstBlock[g]! + Math.floor(ordinal / perBlock[g]!);
      bucketOf[i] = b;
      starts[b + 1]!++;
    }
    for (let b = 1; b < starts.length; b++) starts[b] = starts[b]! + starts[b - 1]!;
    const order = new Uint32Array(count);
    for (let i = 0; i < count; i++) order[starts[bucketOf[i]!]!++] = i;
    const keys = new Uint32Array(2 * count);
    let loaded = -1;
    let view: DataView = new DataView(new ArrayBuffer(0));
    for (let k = 0; k < count; k++) {
      const i = order[k]!;
      const g = members[2 * i]!;
      const ordinal = members[2 * i + 1]!;
      const local = Math.floor(ordinal / perBlock[g]!);
      if (bucketOf[i] !== loaded) {
        const bytes = this.files(g).index.block(local);
        view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        loaded = bucketOf[i]!;
      }
      const at = (ordinal - local * perBlock[g]!) * INDEX_BYTES;
      keys[2 * i] = view.getUint32(at + 16, true);
      keys[2 * i + 1] = view.getUint32(at + 20, true);
    }
    return keys;
  }
  get(shard: number, ordinal: number): StoredDoc {
    const e = this.entry(shard, ordinal);
    const offset = e[0]! + e[1]! * 0x100000000;
    return decodeDoc(this.files(shard).docs.read(offset, e[2]!).slice(), this.c.setup.options.numPerm, this.optionsHash);
  }
  /**
   * Per global shard, the lines of the shards before it in its own run (from the docs headers): what turns a line
   * of the shard into a line of that run's inputs concatenated.
   */
  lineOffsets(): number[] {
    const out: number[] = [];
    let sum = 0;
    this.c.sources.forEach((src, g) => {
      if (src.shard === 0) sum = 0;
      out.push(sum);
      sum += this.files(g).docs.header.extra;
    });
    return out;
  }
  close(): void {
    for (const f of this.open.values()) {
      f.docs.close();
      f.index.close();
    }
  }
}

/** A sorted run file read block by block, its records' shard word set to the global shard `g`. */
export function runSource(f: StageFileIn, g: number): RunSource {
  let i = 0;
  return {
    next: async () => {
      if (i >= f.blocks) return null;
      const w = bytesToWords(f.block(i++).slice());
      // One shard per file, so rewriting the shard word keeps the file sorted.
      for (let k = 2; k < w.length; k += 4) w[k] = g;
      return w;
    },
  };
}

/** The band (or id) run files of `band`, `part` for every global shard of the run. */
export function runFiles(c: Ctx, band: number, part: number): StageFileIn[] {
  return c.sources.map((src) => new StageFileIn(
    band === idBand(c.setup) ? workPaths.ids(src.work, src.shard) : workPaths.band(src.work, band, part, src.shard),
    ident(c, Kind.ScaleBand, src.shard, band, part),
  ));
}

/** Documents of a shard: the record count of its index file. */
export function documentsOf(c: Ctx, g: number): number {
  const src = c.sources[g]!;
  const f = new StageFileIn(workPaths.index(src.work, src.shard), ident(c, Kind.ScaleDocIndex, src.shard));
  f.close();
  return f.header.records;
}

/** Adds the ordinals of a staged file's payload (`stride` words per record, the ordinal first) to `set`. */
export function addOrdinals(set: OrdinalSet, path: string, id: FileIdentity, stride: number): void {
  const f = new StageFileIn(path, id);
  for (let i = 0; i < f.blocks; i++) {
    const w = bytesToWords(f.block(i).slice());
    for (let k = 0; k < w.length; k += stride) set.add(w[k]!);
  }
  f.close();
}

/**
 * Per global shard, the documents the pairs stage leaves out: repeated ids, and for an earlier run's shard also
 * the documents that run removed (only its kept documents are matched against).
 */
export function leftOut(c: Ctx): OrdinalSet[] {
  return c.sources.map((src, g) => {
    const set = new OrdinalSet(documentsOf(c, g));
    addOrdinals(set, workPaths.invalid(src.work, src.shard), ident(c, Kind.ScaleInvalid, src.shard), 1);
    if (g < c.base) addOrdinals(set, workPaths.remove(src.work, src.shard), ident(c, Kind.ScaleRemove, src.shard), REMOVE_WORDS);
    return set;
  });
}

/** Per earlier shard, the documents its run left out (for the ids stage, before this run's invalid files exist). */
export function earlierLeftOut(c: Ctx): OrdinalSet[] {
  return c.sources.slice(0, c.base).map((src, g) => {
    const set = new OrdinalSet(documentsOf(c, g));
    addOrdinals(set, workPaths.invalid(src.work, src.shard), ident(c, Kind.ScaleInvalid, src.shard), 1);
    addOrdinals(set, workPaths.remove(src.work, src.shard), ident(c, Kind.ScaleRemove, src.shard), REMOVE_WORDS);
    return set;
  });
}
