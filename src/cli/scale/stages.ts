/**
 * The tasks of a staged run (`neardup stage sign|ids|pairs|cluster|filter --work W --task N`). Each reads and
 * writes files of the work folder only, writes every file atomically, and ends with a completion marker; a task
 * whose marker exists is skipped. The logic lives in `src/scale/`; this file does the I/O.
 */
import { fsyncSync, mkdirSync, openSync, closeSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kind } from '../../envelope';
import { verifiedSimilarity } from '../../dedup/verdict';
import { prepareWith } from '../../dedup/prepare';
import { xxh64Result, xxh64String } from '../../hash/xxh64';
import { NONE, StageFileError, type FileIdentity } from '../../scale/file';
import { emptyPairsStats, exactGroupEdges, groupEdges, mergeGroups, type RunSource } from '../../scale/pairs';
import { ScaleClusters } from '../../scale/cluster';
import { bytesToWords, decodeDoc, encodeDoc, INDEX_WORDS, REMOVE_WORDS, wordsToBytes, type StoredDoc } from '../../scale/records';
import { OrdinalSet } from '../../scale/ordinals';
import { BandCollector } from '../../scale/sign';
import { exactBand, idBand, type ScaleSetup } from '../../scale/setup';
import { xxh32 } from '../../hash/xxh32';
import { InputError } from '../errors';
import { lineBatches, openInput } from '../input';
import { BATCH, InvalidLog } from '../jsonl';
import { appendMembers, decodeLines, INVALID_UTF8, parseRecord } from '../records';
import { committed, isDone, readPayload, StageFileIn, StageFileOut, tempFor, writeAtomic, writing } from './files';
import { loadPlan, taskCounts, taskIndex, workPaths, type WorkPlan } from './plan';

/** Block sizes: a multiple of every fixed record width (16 and 12 bytes); doc files use small blocks for random reads. */
const RUN_BLOCK = 48 * 1024;
// Random reads check the whole block they fall in: small blocks keep that cheap (pairs looks up the index of every
// member of every group; a 6 KiB block made those checks most of a pairs task's time at 10⁶ documents).
const DOC_BLOCK = 4 * 1024;
// Index blocks are read in (shard, ordinal) order by the pairs stage and at random by the filter stage: 256 entries.
const INDEX_BLOCK = 256 * 24;
const INDEX_BYTES = 4 * INDEX_WORDS;
const DUPLICATE_ID = (id: string): string => `duplicate id ${id} (ids must be unique; --duplicate-ids allow accepts repeated ids)`;

interface Ctx {
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
function context(p: { plan: WorkPlan; setup: ScaleSetup; work: string }): Ctx {
  const earlier = p.plan.against ?? [];
  const sources = [...earlier.map((a) => ({ work: a.work, shard: a.shard })), ...p.plan.inputs.map((_, shard) => ({ work: p.work, shard }))];
  return { ...p, sources, base: earlier.length };
}

const ident = (c: Ctx, kind: FileIdentity['kind'], shard = NONE, band = NONE, part = NONE): FileIdentity => ({ kind, optionsJson: c.setup.json, shard, band, part });

/** Opens a shard's docs and index files for random access by ordinal. */
class DocReader {
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

/** Group members a pairs task holds at most before it looks their keys up (8 B each, plus the keys). */
const GROUP_BATCH = 1 << 20;

/** Groups of a pairs task waiting for their members' exact keys: members as (shard, ordinal), group ends. */
class GroupBatch {
  members = new Uint32Array(1024);
  size = 0;
  private ends: number[] = [];
  /** Adds a group (`[shard, ordinal, …]`); returns the members held. */
  add(refs: readonly number[]): number {
    const n = refs.length / 2;
    if (2 * (this.size + n) > this.members.length) {
      const next = new Uint32Array(Math.max(2 * this.members.length, 2 * (this.size + n)));
      next.set(this.members);
      this.members = next;
    }
    this.members.set(refs, 2 * this.size);
    this.size += n;
    this.ends.push(this.size);
    return this.size;
  }
  /** Calls `f(first, end)` for each group, in the order added. */
  forEach(f: (first: number, end: number) => void): void {
    let at = 0;
    for (const end of this.ends) {
      f(at, end);
      at = end;
    }
  }
  clear(): void {
    this.size = 0;
    this.ends = [];
  }
}

/** A sorted run file read block by block, its records' shard word set to the global shard `g`. */
function runSource(f: StageFileIn, g: number): RunSource {
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
function runFiles(c: Ctx, band: number, part: number): StageFileIn[] {
  return c.sources.map((src) => new StageFileIn(
    band === idBand(c.setup) ? workPaths.ids(src.work, src.shard) : workPaths.band(src.work, band, part, src.shard),
    ident(c, Kind.ScaleBand, src.shard, band, part),
  ));
}

/**
 * Writes lines of a text output to a temporary file through a 1 MiB buffer (one system call per MiB, not per
 * record); `close` fsyncs, `rename` puts it in place.
 */
class TextOut {
  private readonly tmp: string;
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private fill = 0;
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.tmp = tempFor(path);
    this.fd = openSync(this.tmp, 'w');
  }
  private drain(): void {
    writing(this.path, () => {
      for (let at = 0; at < this.fill; ) at += writeSync(this.fd, this.buffer, at, this.fill - at);
    });
    this.fill = 0;
  }
  write(b: Uint8Array): void {
    if (this.fill + b.length > this.buffer.length) this.drain();
    if (b.length > this.buffer.length) {
      writing(this.path, () => {
        for (let at = 0; at < b.length; ) at += writeSync(this.fd, b, at, b.length - at);
      });
    } else {
      this.buffer.set(b, this.fill);
      this.fill += b.length;
    }
  }
  close(): void {
    this.drain();
    writing(this.path, () => {
      fsyncSync(this.fd);
      closeSync(this.fd);
    });
  }
  rename(): void {
    renameSync(this.tmp, this.path);
    committed(this.tmp);
  }
}

/** Parsed lines of a shard: each non-blank line with its number, its record (or why it is invalid) and its bytes. */
async function* shardRecords(path: string, fields: { textField: string; idField: string }): AsyncGenerator<{ line: number; bytes: Uint8Array; start: number; end: number; record: ReturnType<typeof parseRecord> } | { lines: number }> {
  const counter = { lines: 0 };
  const input = openInput(path);
  for await (const batch of lineBatches(input.chunks(), { ...BATCH, counter })) {
    const { lines, invalid } = decodeLines(batch.bytes, batch.count);
    for (let i = 0; i < batch.count; i++) {
      const record = invalid?.[i] ? ({ ok: false, reason: INVALID_UTF8 } as const) : parseRecord(lines[i]!, fields);
      yield { line: batch.lineNumbers[i]!, bytes: batch.bytes, start: batch.offsets[i]!, end: batch.offsets[i + 1]!, record };
    }
  }
  yield { lines: counter.lines };
}
const fieldsOf = (c: Ctx): { textField: string; idField: string } => ({ textField: c.setup.textField, idField: c.setup.idField });

/** sign: prepare every valid record of shard `s`; write its docs, index, band runs and id run. */
async function sign(c: Ctx, s: number): Promise<Record<string, number>> {
  const { setup, work, plan } = c;
  const docs = new StageFileOut(workPaths.docs(work, s), ident(c, Kind.ScaleDocs, s), DOC_BLOCK);
  const index = new StageFileOut(workPaths.index(work, s), ident(c, Kind.ScaleDocIndex, s), INDEX_BLOCK);
  const bands = new BandCollector(setup, s);
  const log = new InvalidLog(plan.inputs[s]!, plan.skipInvalid);
  let ordinal = 0;
  let offset = 0;
  let lines = 0;
  const entry = new Uint32Array(INDEX_WORDS);
  for await (const r of shardRecords(plan.inputs[s]!, fieldsOf(c))) {
    if ('lines' in r) {
      lines = r.lines;
      continue;
    }
    if (!r.record.ok) {
      log.add(r.line, r.record.reason);
      continue;
    }
    const doc = prepareWith(r.record.text, setup.options);
    let idKey: [number, number] | null = null;
    if (r.record.id !== null) {
      xxh64String(r.record.id, 0, 0);
      idKey = [xxh64Result[0]!, xxh64Result[1]!];
    }
    const bytes = encodeDoc(r.line, r.record.id, doc);
    entry[0] = offset % 0x100000000;
    entry[1] = Math.floor(offset / 0x100000000);
    entry[2] = bytes.length;
    entry[3] = doc.length;
    entry[4] = doc.keyHi;
    entry[5] = doc.keyLo;
    docs.write(bytes);
    index.write(wordsToBytes(entry));
    offset += bytes.length;
    bands.add(ordinal++, doc, idKey);
  }
  for (let b = 0; b <= exactBand(setup); b++) {
    for (let p = 0; p < setup.parts; p++) {
      const run = bands.sortedBand(b, p);
      const f = new StageFileOut(workPaths.band(work, b, p, s), ident(c, Kind.ScaleBand, s, b, p), RUN_BLOCK);
      f.write(wordsToBytes(run));
      f.commit(run.length / 4);
    }
  }
  const ids = bands.sortedIds();
  const f = new StageFileOut(workPaths.ids(work, s), ident(c, Kind.ScaleBand, s, idBand(setup), 0), RUN_BLOCK);
  f.write(wordsToBytes(ids));
  f.commit(ids.length / 4);
  index.commit(ordinal);
  // The docs file last: its header holds the shard's line count, which the other stages read.
  docs.commit(ordinal, lines);
  return { documents: ordinal, invalid: log.count, lines };
}

/** ids: which records repeat an id seen earlier in the run (in shard, line order). */
async function ids(c: Ctx): Promise<Record<string, number>> {
  const { setup, work, plan } = c;
  const shards = plan.inputs.length;
  const repeated: number[][] = Array.from({ length: shards }, () => []);
  if (setup.duplicateIds === 'invalid') {
    const files = runFiles(c, idBand(setup), 0);
    const gone = earlierLeftOut(c);
    for await (const g of mergeGroups(files.map(runSource), (run) => files[run]!.path)) {
      // An earlier run's documents that it removed are not in the corpus this run dedups against.
      const live: number[] = [];
      for (let i = 0; i < g.length; i += 2) if (g[i]! >= c.base || !gone[g[i]!]!.has(g[i + 1]!)) live.push(g[i]!, g[i + 1]!);
      for (let i = 2; i < live.length; i += 2) if (live[i]! >= c.base) repeated[live[i]! - c.base]!.push(live[i + 1]!);
    }
    for (const f of files) f.close();
  }
  let total = 0;
  const reader = new DocReader(c);
  for (let s = 0; s < shards; s++) {
    const list = Uint32Array.from(repeated[s]!.sort((a, b) => a - b));
    total += list.length;
    if (list.length > 0 && !plan.skipInvalid) {
      const d = reader.get(c.base + s, list[0]!);
      throw new InputError(`${plan.inputs[s]}:${d.line}: ${DUPLICATE_ID(d.id!)}; stopped (use --skip-invalid to record invalid lines in the report and go on)`);
    }
    const f = new StageFileOut(workPaths.invalid(work, s), ident(c, Kind.ScaleInvalid, s), RUN_BLOCK);
    f.write(wordsToBytes(list));
    f.commit(list.length);
  }
  reader.close();
  return { repeatedIds: total };
}

/** Documents of a shard: the record count of its index file. */
function documentsOf(c: Ctx, g: number): number {
  const src = c.sources[g]!;
  const f = new StageFileIn(workPaths.index(src.work, src.shard), ident(c, Kind.ScaleDocIndex, src.shard));
  f.close();
  return f.header.records;
}

/** Adds the ordinals of a staged file's payload (`stride` words per record, the ordinal first) to `set`. */
function addOrdinals(set: OrdinalSet, path: string, id: FileIdentity, stride: number): void {
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
function leftOut(c: Ctx): OrdinalSet[] {
  return c.sources.map((src, g) => {
    const set = new OrdinalSet(documentsOf(c, g));
    addOrdinals(set, workPaths.invalid(src.work, src.shard), ident(c, Kind.ScaleInvalid, src.shard), 1);
    if (g < c.base) addOrdinals(set, workPaths.remove(src.work, src.shard), ident(c, Kind.ScaleRemove, src.shard), REMOVE_WORDS);
    return set;
  });
}

/** Per earlier shard, the documents its run left out (for the ids stage, before this run's invalid files exist). */
function earlierLeftOut(c: Ctx): OrdinalSet[] {
  return c.sources.slice(0, c.base).map((src, g) => {
    const set = new OrdinalSet(documentsOf(c, g));
    addOrdinals(set, workPaths.invalid(src.work, src.shard), ident(c, Kind.ScaleInvalid, src.shard), 1);
    addOrdinals(set, workPaths.remove(src.work, src.shard), ident(c, Kind.ScaleRemove, src.shard), REMOVE_WORDS);
    return set;
  });
}

/** pairs: task t is band ⌊t / parts⌋ (the last band: exact keys), part t mod parts. */
async function pairs(c: Ctx, t: number): Promise<Record<string, number>> {
  const { setup, work, plan } = c;
  const band = Math.floor(t / setup.parts);
  const part = t % setup.parts;
  const invalid = leftOut(c);
  const files = runFiles(c, band, part);
  const out = new StageFileOut(workPaths.edges(work, band, part), ident(c, Kind.ScaleEdges, NONE, band, part), RUN_BLOCK);
  const reader = new DocReader(c);
  const stats = emptyPairsStats();
  const edges: number[] = [];
  let records = 0;
  const flush = (): void => {
    if (edges.length === 0) return;
    out.write(wordsToBytes(Uint32Array.from(edges)));
    records += edges.length / 4;
    edges.length = 0;
  };
  // Groups wait in a batch until the exact keys of all their members are looked up in (shard, ordinal) order: one
  // pass over the touched index blocks instead of a random read per member.
  const batch = new GroupBatch();
  const verify = (): void => {
    const keys = reader.exactKeys(batch.members, batch.size);
    batch.forEach((at, end) => {
      // Exact copies of an earlier member are left out: the exact-key band joins them to it, and their verified
      // edges are its edges (same shingles and signature). A group of exact copies only is not read at all.
      // Usually every member has the first one's key (a group of exact copies): nothing to read or verify.
      let copies = true;
      for (let i = at + 1; i < end && copies; i++) copies = keys[2 * i] === keys[2 * at] && keys[2 * i + 1] === keys[2 * at + 1];
      if (copies) return;
      const seen = new Set<string>();
      const kept: number[] = [];
      for (let i = at; i < end; i++) {
        const key = `${keys[2 * i]}:${keys[2 * i + 1]}`;
        if (seen.has(key)) continue;
        seen.add(key);
        kept.push(batch.members[2 * i]!, batch.members[2 * i + 1]!);
      }
      const docs = [];
      for (let i = 0; i < kept.length; i += 2) docs.push(reader.get(kept[i]!, kept[i + 1]!).doc);
      groupEdges(setup, band, kept, docs, edges, stats);
      if (edges.length >= 4096) flush();
    });
    batch.clear();
  };
  for await (const g of mergeGroups(files.map(runSource), (run) => files[run]!.path)) {
    const refs: number[] = [];
    for (let i = 0; i < g.length; i += 2) if (!invalid[g[i]!]!.has(g[i + 1]!)) refs.push(g[i]!, g[i + 1]!);
    // Members are in global shard order, so the last one tells whether any is new. A group of earlier documents
    // only is skipped: their kept documents have no verified pair among them (their own runs verified every band
    // group of them under the same options and kept one per component).
    if (refs.length < 4 || refs[refs.length - 2]! < c.base) continue;
    if (band === exactBand(setup)) {
      exactGroupEdges(refs, edges, stats);
      if (edges.length >= 4096) flush();
    } else if (batch.add(refs) >= GROUP_BATCH) verify();
  }
  verify();
  flush();
  out.commit(records);
  for (const f of files) f.close();
  reader.close();
  return { band, part, ...stats };
}

/** cluster: union-find over every edge; per shard the removed ordinals and what each duplicates. */
async function cluster(c: Ctx): Promise<Record<string, number>> {
  const { setup, work, plan } = c;
  const shards = plan.inputs.length;
  const counts: number[] = [];
  let lengths: Uint32Array | null = null;
  const indexFiles = c.sources.map((src) => new StageFileIn(workPaths.index(src.work, src.shard), ident(c, Kind.ScaleDocIndex, src.shard)));
  for (const f of indexFiles) counts.push(f.header.records);
  if (setup.keep === 'longest') {
    lengths = new Uint32Array(counts.reduce((a, b) => a + b, 0));
    let g = 0;
    for (const f of indexFiles) {
      for (let i = 0; i < f.blocks; i++) {
        const w = bytesToWords(f.block(i).slice());
        for (let k = 3; k < w.length; k += INDEX_WORDS) lengths[g++] = w[k]!;
      }
    }
  }
  for (const f of indexFiles) f.close();
  const uf = new ScaleClusters(counts, lengths, c.base);
  let edgeCount = 0;
  for (let b = 0; b <= exactBand(setup); b++) {
    for (let p = 0; p < setup.parts; p++) {
      const f = new StageFileIn(workPaths.edges(work, b, p), ident(c, Kind.ScaleEdges, NONE, b, p));
      for (let i = 0; i < f.blocks; i++) {
        const w = bytesToWords(f.block(i).slice());
        for (let k = 0; k < w.length; k += 4) uf.union(uf.global(w[k]!, w[k + 1]!), uf.global(w[k + 2]!, w[k + 3]!));
        edgeCount += w.length / 4;
      }
      f.close();
    }
  }
  let removed = 0;
  for (let s = 0; s < shards; s++) {
    // Removal records name the kept document by global shard (an earlier run's shards first).
    const r = uf.removals(c.base + s);
    removed += r.length / 3;
    const f = new StageFileOut(workPaths.remove(work, s), ident(c, Kind.ScaleRemove, s), RUN_BLOCK);
    f.write(wordsToBytes(r));
    f.commit(r.length / 3);
  }
  return { documents: uf.size, edges: edgeCount, removed };
}

/** filter: stream shard `s` again and write its kept and removed records and its report. */
async function filter(c: Ctx, s: number): Promise<Record<string, number>> {
  const { work, plan } = c;
  const inputPath = plan.inputs[s]!;
  const output = plan.outputs[s]!;
  const reader = new DocReader(c);
  const lineOffsets = reader.lineOffsets();
  const invalid = new OrdinalSet(documentsOf(c, c.base + s));
  addOrdinals(invalid, workPaths.invalid(work, s), ident(c, Kind.ScaleInvalid, s), 1);
  const rf = new StageFileIn(workPaths.remove(work, s), ident(c, Kind.ScaleRemove, s));
  const removals = bytesToWords(readPayload(rf).slice());
  rf.close();
  const expected = reader.files(c.base + s).docs.header.records;
  const log = new InvalidLog(inputPath, true);
  const kept = new TextOut(output.kept);
  const gone = new TextOut(output.removed);
  let records = 0;
  let ordinal = 0;
  let next = 0; // position in removals
  let keptCount = 0;
  let removedCount = 0;
  let exactDuplicates = 0;
  for await (const r of shardRecords(inputPath, fieldsOf(c))) {
    if ('lines' in r) continue;
    records++;
    if (!r.record.ok) {
      log.add(r.line, r.record.reason);
      continue;
    }
    const o = ordinal++;
    if (invalid.has(o)) {
      log.add(r.line, DUPLICATE_ID(r.record.id!));
      continue;
    }
    if (next < removals.length && removals[next] === o) {
      const repShard = removals[next + 1]!;
      const rep = reader.get(repShard, removals[next + 2]!);
      const self = reader.get(c.base + s, o);
      next += 3;
      const exact = self.doc.keyHi === rep.doc.keyHi && self.doc.keyLo === rep.doc.keyLo;
      const similarity = exact ? 1 : verifiedSimilarity(self.doc, rep.doc);
      if (exact) exactDuplicates++;
      removedCount++;
      const line = lineOffsets[repShard]! + rep.line;
      // A copy of an earlier run's document also names that run and its shard (the line is that run's numbering).
      const from = repShard < c.base ? `,"duplicateOfRun":${JSON.stringify(c.sources[repShard]!.work)},"duplicateOfShard":${c.sources[repShard]!.shard}` : '';
      gone.write(appendMembers(r.bytes, r.start, r.end - 1, `"duplicateOf":${rep.id ?? 'null'},"duplicateOfLine":${line}${from},"similarity":${similarity},"exact":${exact}`));
    } else {
      keptCount++;
      kept.write(r.bytes.subarray(r.start, r.end));
    }
  }
  if (ordinal !== expected) throw new StageFileError(workPaths.docs(work, s), `holds ${expected} documents but ${inputPath} has ${ordinal} valid records now: the input changed since the sign stage`);
  reader.close();
  kept.close();
  gone.close();
  const report = {
    command: 'stage filter', input: records, kept: keptCount, removed: removedCount, invalid: log.count, errors: log.errors,
    files: { input: inputPath, output: output.kept, removed: output.removed },
    stats: { exactDuplicates, nearDuplicates: removedCount - exactDuplicates },
  };
  kept.rename();
  gone.rename();
  writeAtomic(output.report, `${JSON.stringify(report, null, 2)}\n`);
  return { input: records, kept: keptCount, removed: removedCount, invalid: log.count };
}

/** Stage names in order. */
export const STAGES = ['sign', 'ids', 'pairs', 'cluster', 'filter'] as const;
export type StageName = (typeof STAGES)[number];

/**
 * Runs one task; returns a line for stderr. Skips a task whose completion marker exists.
 */
export async function runStage(stage: StageName, workArg: string, task: number | undefined): Promise<string> {
  const c = context(loadPlan(workArg));
  const count = taskCounts(c.plan, c.setup)[stage];
  const t = taskIndex(task, count, stage);
  const perTask = count > 1 || stage === 'sign' || stage === 'filter';
  const marker = workPaths.done(c.work, stage, perTask ? t : null);
  if (isDone(marker)) return `neardup stage ${stage} ${t}: already done (${marker})`;
  let stats: Record<string, number>;
  switch (stage) {
    case 'sign': stats = await sign(c, t); break;
    case 'ids': stats = await ids(c); break;
    case 'pairs': stats = await pairs(c, t); break;
    case 'cluster': stats = await cluster(c); break;
    case 'filter': stats = await filter(c, t); break;
  }
  // Peak RSS of this process so far (kB): with one task per process, the task's (the bench reads it).
  stats = { ...stats, maxRssKb: process.resourceUsage().maxRSS };
  // The stats are for people and the bench, not for resuming: renamed into place, not fsynced.
  writeAtomic(workPaths.stats(c.work, stage, perTask ? t : null), `${JSON.stringify(stats)}\n`, { durable: false });
  writeAtomic(marker, `${JSON.stringify({ stage, task: t, checksum: xxh32(JSON.stringify(stats)) })}\n`);
  return `neardup stage ${stage} ${t}: ${JSON.stringify(stats)}`;
}
