/**
 * The tasks of a staged run (`neardup stage sign|ids|pairs|cluster|filter --work W --task N`). Each reads and
 * writes files of the work folder only, writes every file atomically, and ends with a completion marker; a task
 * whose marker exists is skipped. The logic lives in `src/scale/`; this file does the I/O.
 */
import { Kind } from '../../envelope';
import { verifiedSimilarity } from '../../dedup/verdict';
import { prepareWith } from '../../dedup/prepare';
import { xxh64Result, xxh64String } from '../../hash/xxh64';
import { NONE, StageFileError, type FileIdentity } from '../../scale/file';
import { emptyPairsStats, exactGroupEdges, GROUP_BATCH, GroupBatch, groupEdges, mergeGroups } from '../../scale/pairs';
import { ScaleClusters } from '../../scale/cluster';
import { bytesToWords, encodeDoc, INDEX_WORDS, wordsToBytes } from '../../scale/records';
import { OrdinalSet } from '../../scale/ordinals';
import { BandCollector } from '../../scale/sign';
import { exactBand, idBand } from '../../scale/setup';
import { xxh32 } from '../../hash/xxh32';
import { InputError } from '../errors';
import { lineBatches, openInput } from '../input';
import { BATCH, InvalidLog } from '../jsonl';
import { appendMembers, decodeLines, INVALID_UTF8, parseRecord } from '../records';
import { addOrdinals, context, DocReader, documentsOf, earlierLeftOut, ident, leftOut, runFiles, runSource, type Ctx } from './context';
import { isDone, readPayload, StageFileIn, StageFileOut, TextOut, writeAtomic } from './files';
import { loadPlan, taskCounts, taskIndex, workPaths } from './plan';

/** Block sizes: a multiple of every fixed record width (16 and 12 bytes); doc files use small blocks for random reads. */
const RUN_BLOCK = 48 * 1024;
// Random reads check the whole block they fall in: small blocks keep that cheap (pairs and filter read doc records
// at random).
const DOC_BLOCK = 4 * 1024;
// Index blocks are read in (shard, ordinal) order by the pairs stage and at random by the filter stage: 256 entries.
const INDEX_BLOCK = 256 * 24;
const DUPLICATE_ID = (id: string): string => `duplicate id ${id} (ids must be unique; --duplicate-ids allow accepts repeated ids)`;

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
