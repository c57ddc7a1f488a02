/**
 * Per-record work that does not depend on any other record: parse a JSONL line, check it, and compute what the
 * command needs (a prepared document for the dedupe index, a quality report). The same functions run in worker
 * threads (`--jobs N`) and inline (`--jobs 1`), so both give identical results by construction.
 */
import { isUtf8 } from 'node:buffer';
import type { DedupeOptions, PreparedDocument } from '../dedup';
import { resolveDedupeOptions } from '../dedup/document-options';
import { prepareWith } from '../dedup/prepare';
import { xxh64Result, xxh64String } from '../hash/xxh64';
import { qualityReport, type QualityReport, type QualityReportOptions } from '../quality';

/** Where the id and the text live in a record. */
export interface FieldConfig {
  /** Name of the top-level field holding the text. */
  readonly textField: string;
  /** Name of the top-level field holding the id; a record without it has no id (it is known by its line). */
  readonly idField: string;
}

/**
 * One parsed record, or the reason it is invalid. `id` is the id as canonical JSON text — a string re-serialized
 * (`"a"` and `"\u0061"` are one id), a number as written when it is not a safe integer (so
 * `9007199254740993` and `9007199254740992`, one double, stay two ids) — or null when the record has no id field.
 * Comparing these texts compares ids exactly, and the number 1 and the string "1" differ.
 */
export type ParsedRecord =
  | { readonly ok: true; readonly id: string | null; readonly text: string }
  | { readonly ok: false; readonly reason: string };

/** JSON type name for error messages. */
function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Why a record has no usable text field, with the fields it does have that could be meant. */
function missingTextReason(record: Record<string, unknown>, fields: FieldConfig): string {
  const field = fields.textField;
  const candidates = Object.keys(record).filter((k) => typeof record[k] === 'string' && k !== fields.idField);
  const hint = candidates.length > 0
    ? `; its string fields: ${candidates.slice(0, 5).map((k) => JSON.stringify(k)).join(', ')}${candidates.length > 5 ? ', …' : ''} — name the text field with --text-field`
    : '; it has no string field (the text field is named with --text-field)';
  return `missing text field ${JSON.stringify(field)}${hint}`;
}

/**
 * Parses one non-blank JSONL line and extracts its id and text.
 * @param line - the line without its terminator
 */
export function parseRecord(line: string, fields: FieldConfig): ParsedRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { ok: false, reason: `invalid JSON (${(err as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `not a JSON object (got ${typeName(value)})` };
  }
  const record = value as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(record, fields.textField)) {
    return { ok: false, reason: missingTextReason(record, fields) };
  }
  const text = record[fields.textField];
  if (typeof text !== 'string') {
    return { ok: false, reason: `text field ${JSON.stringify(fields.textField)} is not a string (got ${typeName(text)})` };
  }
  let id: string | null = null;
  if (Object.prototype.hasOwnProperty.call(record, fields.idField)) {
    const raw = record[fields.idField];
    if (typeof raw === 'string') id = JSON.stringify(raw);
    else if (typeof raw === 'number' && Number.isFinite(raw)) id = Number.isSafeInteger(raw) ? String(raw) : (rawMember(line, fields.idField) ?? String(raw));
    else return { ok: false, reason: `id field ${JSON.stringify(fields.idField)} is not a string or a number (got ${typeName(raw)})` };
  }
  return { ok: true, id, text };
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** Index just past the JSON string starting at `i` (a `"`). */
function skipString(s: string, i: number): number {
  for (i++; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i + 1;
  }
  return i;
}

/** Index just past the JSON value starting at `i`. */
function skipValue(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 0x22) return skipString(s, i);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (; i < s.length; i++) {
      const d = s.charCodeAt(i);
      if (d === 0x22) i = skipString(s, i) - 1;
      else if (d === 0x7b || d === 0x5b) depth++;
      else if ((d === 0x7d || d === 0x5d) && --depth === 0) return i + 1;
    }
    return i;
  }
  while (i < s.length && !isSpace(s.charCodeAt(i)) && s[i] !== ',' && s[i] !== '}') i++;
  return i;
}

/**
 * The source text of top-level member `key` of the JSON object `line` (already known to be valid), the last one
 * when the key repeats (as `JSON.parse` does), or null. Used only for numbers a double cannot hold exactly.
 */
export function rawMember(line: string, key: string): string | null {
  let found: string | null = null;
  let i = line.indexOf('{') + 1;
  for (;;) {
    while (i < line.length && (isSpace(line.charCodeAt(i)) || line[i] === ',')) i++;
    if (i >= line.length || line[i] !== '"') return found;
    const keyEnd = skipString(line, i);
    const name = JSON.parse(line.slice(i, keyEnd)) as string;
    i = keyEnd;
    while (i < line.length && (isSpace(line.charCodeAt(i)) || line[i] === ':')) i++;
    const end = skipValue(line, i);
    if (name === key) found = line.slice(i, end);
    i = end;
  }
}

/**
 * The 64-bit key of an id (its canonical JSON text) for the duplicate-id check, written to `out[2i]`, `out[2i+1]`.
 * Two distinct ids collide with probability about n²/2⁶⁵ (3·10⁻⁸ for a million records).
 */
function idKeyInto(id: string, out: Uint32Array, i: number): void {
  xxh64String(id, 0, 0);
  out[2 * i] = xxh64Result[0]!;
  out[2 * i + 1] = xxh64Result[1]!;
}


/**
 * Line `i` of a batch with members appended to its JSON object, without re-serializing it, so every original
 * byte (key order, number spelling, escapes) is kept: the bytes up to the object's closing `}`, then
 * `,` + `members` + `}` and a newline. `members` is JSON text such as `"a":1,"b":2`. The line must hold a valid
 * non-empty JSON object (a valid record always has its text field).
 */
export function appendMembers(bytes: Uint8Array, start: number, end: number, members: string): Buffer {
  let close = end - 1;
  while (close > start && bytes[close] !== 0x7d) close--;
  const head = Buffer.from(bytes.buffer, bytes.byteOffset + start, close - start);
  return Buffer.concat([head, Buffer.from(`,${members}}\n`, 'utf8')]);
}

/** The reason a line whose bytes are not UTF-8 is invalid: it is refused, never decoded with replacements. */
export const INVALID_UTF8 = 'not valid UTF-8';

/**
 * The lines of a packed batch, decoded (one UTF-8 decode for the whole batch), and which of them are not valid
 * UTF-8 (null when all are: checked once for the batch, line by line only when the batch fails).
 */
export function decodeLines(bytes: Uint8Array, count: number): { lines: string[]; invalid: boolean[] | null } {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const lines = text.split('\n');
  lines.length = count;
  let invalid: boolean[] | null = null;
  if (!isUtf8(bytes)) {
    invalid = new Array<boolean>(count).fill(false);
    for (let i = 0, start = 0; i < count; i++) {
      const end = bytes.indexOf(0x0a, start);
      invalid[i] = !isUtf8(bytes.subarray(start, end));
      start = end + 1;
    }
  }
  return { lines, invalid };
}

/** A batch for `neardup dedupe`: parse each line, then prepare its text (document level) or return it (paragraph level). */
export interface DedupeTask {
  readonly kind: 'dedupe';
  /** The packed lines of a `LineBatch` (see `input.ts`). */
  readonly bytes: Uint8Array;
  readonly count: number;
  readonly lineNumbers: Uint32Array;
  readonly fields: FieldConfig;
  /** Detector options (document level), or null: paragraph level, where only parsing happens off the main thread. */
  readonly options: DedupeOptions | null;
}

/** Result of a {@link DedupeTask}, one entry per line. */
export interface DedupeTaskResult {
  /** Reason a line is invalid, or null. */
  readonly errors: (string | null)[];
  /** Ids as canonical JSON text (see {@link ParsedRecord}), null for invalid lines and records without an id. */
  readonly ids: (string | null)[];
  /** Id keys: two uint32 per line (zero for invalid lines and records without an id). */
  readonly idKeys: Uint32Array;
  /** Prepared documents (document level), null for invalid lines and at paragraph level. */
  readonly prepared: (PreparedDocument | null)[];
  /** The texts (paragraph level), else null. */
  readonly texts: (string | null)[];
}

/** A batch for `neardup quality`. */
export interface QualityTask {
  readonly kind: 'quality';
  /** The packed lines of a `LineBatch` (see `input.ts`). */
  readonly bytes: Uint8Array;
  readonly count: number;
  readonly lineNumbers: Uint32Array;
  readonly fields: FieldConfig;
  readonly options: QualityReportOptions;
  /** Name of the field the report is added under. */
  readonly field: string;
  /** Add the whole report (every filter's stats), not just `{ pass, reasons }`. */
  readonly details: boolean;
  /** Keep passing records unchanged: their annotated line is not needed. */
  readonly filter: boolean;
  /** The filters that decide pass/fail (and appear under `details`), or null for all four. */
  readonly filters: readonly QualityReportFilter[] | null;
}

/** The per-filter keys of a `QualityReport`. */
export type QualityReportFilter = 'gopherRepetition' | 'gopherQuality' | 'c4' | 'fineweb';

/** Result of a {@link QualityTask}, one entry per line. */
export interface QualityTaskResult {
  readonly errors: (string | null)[];
  /** Whether the record passes every filter. */
  readonly pass: boolean[];
  readonly reasons: string[][];
  /** The JSON members to append to the line (`"quality":{…}`); null for invalid lines and passing lines under `filter`. */
  readonly members: (string | null)[];
}

export type Task = DedupeTask | QualityTask;
export type TaskResult = DedupeTaskResult | QualityTaskResult;

function runDedupeTask(task: DedupeTask): DedupeTaskResult {
  const n = task.count;
  const { lines, invalid } = decodeLines(task.bytes, n);
  const options = task.options ? resolveDedupeOptions(task.options) : null;
  const errors: (string | null)[] = new Array<string | null>(n).fill(null);
  const ids: (string | null)[] = new Array<string | null>(n).fill(null);
  const idKeys = new Uint32Array(2 * n);
  const prepared: (PreparedDocument | null)[] = new Array<PreparedDocument | null>(n).fill(null);
  const texts: (string | null)[] = new Array<string | null>(n).fill(null);
  for (let i = 0; i < n; i++) {
    if (invalid?.[i]) {
      errors[i] = INVALID_UTF8;
      continue;
    }
    const r = parseRecord(lines[i]!, task.fields);
    if (!r.ok) {
      errors[i] = r.reason;
      continue;
    }
    ids[i] = r.id;
    if (r.id !== null) idKeyInto(r.id, idKeys, i);
    if (options) prepared[i] = prepareWith(r.text, options);
    else texts[i] = r.text;
  }
  return { errors, ids, idKeys, prepared, texts };
}

/** A quality report restricted to some filters: `pass` and `reasons` from those only, their results only. */
function selectFilters(report: QualityReport, filters: readonly QualityReportFilter[]): Record<string, unknown> & { pass: boolean; reasons: string[] } {
  const out: Record<string, unknown> & { pass: boolean; reasons: string[] } = { pass: true, reasons: [] };
  // In the report's own order (the FineWeb pipeline order), whatever the order on the command line.
  for (const f of ['gopherRepetition', 'gopherQuality', 'c4', 'fineweb'] as const) {
    if (!filters.includes(f)) continue;
    const r = report[f];
    out.pass &&= r.pass;
    out.reasons.push(...r.reasons);
    out[f] = r;
  }
  return out;
}

function runQualityTask(task: QualityTask): QualityTaskResult {
  const n = task.count;
  const { lines, invalid } = decodeLines(task.bytes, n);
  const errors: (string | null)[] = new Array<string | null>(n).fill(null);
  const pass: boolean[] = new Array<boolean>(n).fill(false);
  const reasons: string[][] = [];
  const members: (string | null)[] = new Array<string | null>(n).fill(null);
  const key = JSON.stringify(task.field);
  for (let i = 0; i < n; i++) {
    const r: ParsedRecord = invalid?.[i] ? { ok: false, reason: INVALID_UTF8 } : parseRecord(lines[i]!, task.fields);
    if (!r.ok) {
      errors[i] = r.reason;
      reasons.push([]);
      continue;
    }
    const full = qualityReport(r.text, task.options);
    const report = task.filters ? selectFilters(full, task.filters) : full;
    pass[i] = report.pass;
    reasons.push(report.reasons);
    if (task.filter && report.pass) continue;
    const value = task.details ? report : { pass: report.pass, reasons: report.reasons };
    members[i] = `${key}:${JSON.stringify(value)}`;
  }
  return { errors, pass, reasons, members };
}

/**
 * Moves the shingles and signatures of a batch's prepared documents into one shared buffer (views on it replace
 * each document's arrays; values unchanged). Done in the worker before its result is cloned to the main thread:
 * the clone then carries one ArrayBuffer per batch instead of one per document, which the main thread would
 * allocate one by one (external memory: more garbage collections on the thread that owns the index).
 */
export function packPrepared(result: DedupeTaskResult): void {
  const docs = result.prepared as (PreparedDocument | null)[];
  let words = 0;
  for (const d of docs) if (d) words += d.shingles.length + (d.signature ? d.signature.length : 0);
  const all = new Uint32Array(words);
  let at = 0;
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i];
    if (!d) continue;
    const shingles = all.subarray(at, at + d.shingles.length);
    shingles.set(d.shingles);
    at += d.shingles.length;
    let signature: Uint32Array | null = null;
    if (d.signature) {
      signature = all.subarray(at, at + d.signature.length);
      signature.set(d.signature);
      at += d.signature.length;
    }
    docs[i] = { ...d, shingles, signature };
  }
}

/** Runs one batch (in a worker thread or inline). */
export function runTask(task: Task): TaskResult {
  return task.kind === 'dedupe' ? runDedupeTask(task) : runQualityTask(task);
}

/**
 * Output bytes of one batch, in order: byte ranges of the batch (consecutive ranges are merged, so a run of kept
 * lines is one copy) and other buffers.
 */
export class Slices {
  private readonly parts: Uint8Array[] = [];
  private runStart = -1;
  private runEnd = -1;

  constructor(private readonly bytes: Uint8Array) {}

  /** Appends `bytes[start, end)`. */
  add(start: number, end: number): void {
    if (start === this.runEnd) {
      this.runEnd = end;
      return;
    }
    this.flushRun();
    this.runStart = start;
    this.runEnd = end;
  }

  /** Appends a buffer. */
  push(buffer: Uint8Array): void {
    this.flushRun();
    this.parts.push(buffer);
  }

  /** Everything appended, copied into one new (non-shared) buffer. */
  concat(): Buffer {
    this.flushRun();
    return Buffer.concat(this.parts);
  }

  private flushRun(): void {
    if (this.runStart < 0) return;
    this.parts.push(this.bytes.subarray(this.runStart, this.runEnd));
    this.runStart = -1;
    this.runEnd = -1;
  }
}
