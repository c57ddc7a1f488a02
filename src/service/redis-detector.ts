import { NearDuplicateDetector, type DetectResult, type DocId } from '../dedup/detector';
import { resolveDedupeOptions, type ResolvedDedupeOptions } from '../dedup/document-options';
import { hasherFor, optionsHashOf, prepareWith, type PreparedDocument } from '../dedup/prepare';
import { CandidateOrder } from '../dedup/candidate-order';
import { KeptStore, sketchValue } from '../dedup/kept-store';
import { rankByBands, verifyInOrder, type Match, type VerdictStats } from '../dedup/verdict';
import { assertId, assertInteger, assertOptions, assertString, describe, fail } from '../internal/validate';
import { adaptClient, withTimeout, type RedisClientLike, type Send } from './client';
import { differences, FORMAT, REDIS_DETECTOR_DEFAULTS, storedOptions, type RedisDetectorOptions, type StoredOptions } from './options';
import { decodeRecord, encodeId, encodeRecord, exactKey, idBucket } from './record';
import { xxh32 } from '../hash/xxh32';
import { SCRIPT } from './script';
import { keysOf, sendable, sharedKeys } from './batch';
import { IntTable } from '../internal/int-table';

const NAME = 'RedisNearDuplicateDetector';
/** Records per script call of `addMany`, about (a call is one argument; Redis refuses one over 512 MB by default). */
const MAX_CALL_BYTES = 4 << 20;
const NONE = new Uint8Array(0);
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** A document on its way in: everything the script needs, and what verification has learned so far. */
interface Pending {
  id: DocId;
  enc: string;
  /** The id's field (`i` + encoded id, UTF-8) and bucket. */
  idField: Uint8Array;
  bucket: number;
  /**
   * The prepared document as verification reads it, rebuilt from the record when first needed (most documents
   * never are: only those with candidates), so that a document waiting in a batch holds its record alone.
   */
  query: PreparedDocument | null;
  /** The document's band entries (band byte + 4-byte band key each): a view into the record. */
  parts: Uint8Array;
  record: Uint8Array;
  /** The keys it may share with other documents of an `addMany` batch (see `keysOf`); empty outside one. */
  keys: number[];
  /** Ordinals of candidates already received, 4 bytes each (big-endian), as the script compares them. */
  seen: Uint8Array;
  /** How many ordinals `seen` holds. */
  seenCount: number;
  /** The candidates received so far (over every round of the script). */
  candidates: Candidate[];
  /** The decided match (none or one): segment, ordinal, similarity. */
  matches: (Match & { seg: string })[];
}

/** A candidate the script sent: where it is stored and its record as a prepared document. */
interface Candidate {
  seg: string;
  ord: number;
  doc: PreparedDocument;
  /** Its band entries (band byte + 4-byte band key each). */
  parts: Uint8Array;
  /** Its packed 4-bit MinHash sketch, or null (no verification). */
  sketch: Uint8Array | null;
}

/**
 * A near-duplicate index stored in Redis (or Valkey) and shared by any number of processes: the verbs of
 * {@link NearDuplicateDetector} (`add`, `check`, `remove`, `has`, `size`), async, with the same verdicts on the
 * same sequence of calls. Each document is prepared in the calling process (normalize, hash, shingle, MinHash);
 * `add` is one atomic script on the server that either inserts the document or hands back the candidates the
 * caller has not seen yet (their records), so the caller ranks and verifies them with the same code as the
 * in-memory detector (`verdict.ts`: band collisions, then MinHash agreement, verified best-first within the same
 * bounds, the first one verified ≥ threshold wins) and asks again; once no unseen candidate is left the script
 * keeps that match if it is still stored, or inserts. Any number of writers thus keep the first copy of each
 * near-duplicate family exactly once.
 *
 * You pass a connected client (node-redis, ioredis, or `{ call(args) }`, see {@link RedisClientLike}); the
 * detector opens and closes no connection. Every call rejects after `timeoutMs` without a reply. A call whose reply
 * was lost with the connection may be sent again (by ioredis, or by the detector on node-redis): each call that
 * writes carries a random nonce, and the script keeps its reply for a while (`{prefix}:n<nonce>`, 120 s or
 * 4 × `timeoutMs`), so the second send answers as the first one ran instead of finding its documents stored.
 *
 * Stored per document: a record of 33 + 5·bands + |id| + 4·(shingles) + ⌈numPerm/2⌉ bytes (what ranking and exact
 * verification need: the sorted shingle hashes and the low 4 bits of each MinHash value, as the in-memory detector
 * keeps them), plus one band entry per band, an exact-key
 * entry and an id entry in small listpack hashes (≈ 10–20 bytes each).
 *
 * Key layout: every key starts with `{prefix}:`, one hash tag, so an index lives in one Redis Cluster slot and
 * each call stays one atomic script there. A Cluster spreads different indexes (prefixes), not one index.
 * Methods `'minhash'` and `'exact'` are supported (`'simhash'` is refused).
 * @example
 * ```ts
 * // needs: redis-server (`redis` is a connected node-redis client)
 * const detector = await RedisNearDuplicateDetector.open(redis, { prefix: 'example-class', threshold: 0.7 });
 * await detector.add('a', 'The quick brown fox jumps over the lazy dog near the river bank today'); // => {}
 * (await detector.add('b', 'THE QUICK BROWN FOX jumps over the lazy dog, near the river bank today!')).duplicateOf; // => 'a'
 * await detector.size(); // => 1
 * ```
 */
export class RedisNearDuplicateDetector {
  /** The resolved detector options (as `NearDuplicateDetector.options`). */
  readonly options: ResolvedDedupeOptions;
  /** The key prefix naming the index. */
  readonly prefix: string;
  /** The client's send, without the timeout: `call` bounds each send by what is left of `timeoutMs`. */
  private readonly send: Send;
  private readonly timeoutMs: number;
  private readonly meta: string;
  private readonly stored: StoredOptions;
  private readonly optionsHash: number;
  /** Entries of each band's bucket a lookup reads, newest first: ⌈maxCandidates / bands⌉, as in memory. */
  private readonly perBand: number;
  /** The name of small hash b as the script reads it at `6·b`: its length, then its decimal digits. */
  private readonly bucketNames: Uint8Array;
  /** Scratch of `sharedKeys` and `sendable`. */
  private readonly keyTable = new IntTable(1);
  private sha: string;
  private closed = false;
  /** Scratch for ranking one query's candidates (filled and used synchronously, so calls in flight can share it). */
  private readonly scratch: KeptStore;
  private readonly order = new CandidateOrder();
  private readonly hits: number[] = [];
  /** Counters the shared verdict code updates; not reported. */
  private readonly stats: VerdictStats = { candidates: 0, rejected: 0, estimateRejected: 0, verified: 0, skipped: 0 };

  private constructor(send: Send, timeoutMs: number, prefix: string, options: ResolvedDedupeOptions, stored: StoredOptions, sha: string) {
    this.send = send;
    this.timeoutMs = timeoutMs;
    this.prefix = prefix;
    this.options = options;
    this.stored = stored;
    this.meta = `{${prefix}}:meta`;
    this.optionsHash = optionsHashOf(options);
    this.perBand = stored.bands > 0 ? Math.ceil(options.maxCandidates / stored.bands) : 0;
    this.sha = sha;
    this.scratch = new KeptStore(options);
    this.bucketNames = new Uint8Array(6 * stored.buckets);
    for (let b = 0; b < stored.buckets; b++) {
      const digits = String(b);
      this.bucketNames[6 * b] = digits.length;
      for (let i = 0; i < digits.length; i++) this.bucketNames[6 * b + 1 + i] = digits.charCodeAt(i);
    }
  }

  /**
   * Opens the index named `options.prefix` on the server `client` talks to, creating it if it does not exist.
   * @param client - a connected node-redis or ioredis client, or `{ call(args) }` (see {@link RedisClientLike})
   * @param options - the prefix, the detector options and the layout (see {@link RedisDetectorOptions})
   * @returns the detector
   * @throws TypeError/RangeError (synchronously thrown inside the promise) for a bad client or option; an Error
   *   naming every differing option when the index exists with other options; an Error after `timeoutMs`
   * @example
   * ```ts
   * // needs: redis-server (`redis` is a connected node-redis client)
   * const a = await RedisNearDuplicateDetector.open(redis, { prefix: 'example-open', threshold: 0.8 });
   * const refused = await RedisNearDuplicateDetector.open(redis, { prefix: 'example-open', threshold: 0.9 }).catch((e) => e.message);
   * refused.includes('threshold (stored 0.8, given 0.9)'); // => true
   * ```
   */
  static async open(client: RedisClientLike, options: RedisDetectorOptions): Promise<RedisNearDuplicateDetector> {
    const what = `${NAME}.open`;
    if (options === undefined) fail(TypeError, `${what}: options`, 'an options object with a prefix', options);
    // Before resolving: SimHash is refused here whatever its threshold (resolving would first ask for a reachable one).
    if (typeof options === 'object' && options !== null && options.method === 'simhash') {
      fail(RangeError, `${what}: options.method`, "'minhash' or 'exact' for a Redis index", options.method);
    }
    const resolved = resolveDedupeOptions(options, what, ['prefix', 'window', 'buckets', 'timeoutMs']);
    const prefix = options.prefix;
    if (typeof prefix !== 'string' || prefix.length === 0) fail(TypeError, `${what}: options.prefix`, 'a non-empty string', prefix);
    const timeoutMs = options.timeoutMs ?? REDIS_DETECTOR_DEFAULTS.timeoutMs;
    assertInteger(`${what}: options.timeoutMs`, timeoutMs, 1, 2 ** 31 - 1);
    const stored = storedOptions(what, resolved, options);
    const raw = adaptClient(client, what);
    const send = withTimeout(raw, timeoutMs, NAME);
    const sha = text(await send(['SCRIPT', 'LOAD', SCRIPT]));
    const meta = `{${prefix}}:meta`;
    const w = stored.window;
    const existing = await send(['EVALSHA', sha, '1', meta, 'init', String(FORMAT), JSON.stringify(stored), String(stored.buckets),
      w.mode, String(w.span), String(w.keep)]);
    if (existing !== null && existing !== undefined) {
      let previous: Record<string, unknown>;
      try {
        previous = JSON.parse(text(existing)) as Record<string, unknown>;
      } catch {
        throw new Error(`${what}: the index "${prefix}" holds unreadable options; it was not written by this version`);
      }
      const diff = differences(previous, stored);
      if (diff.length > 0) {
        throw new Error(`${what}: the index "${prefix}" exists with other options: ${diff.join('; ')}`);
      }
    }
    return new RedisNearDuplicateDetector(raw, timeoutMs, prefix, resolved, stored, sha);
  }

  /**
   * Adds a document, atomically: the kept document it duplicates, or `{}` when it is new (it is then stored).
   * @param id - a number or string not already stored
   * @param text - the document
   * @returns as `NearDuplicateDetector.add`
   * @throws TypeError for a bad id or text; RangeError if the id is already stored; Error after `timeoutMs`
   * @example
   * ```ts
   * // needs: redis-server (`redis` is a connected node-redis client)
   * const detector = await RedisNearDuplicateDetector.open(redis, { prefix: 'example-add' });
   * await detector.add(1, 'The museum opens at nine on weekdays and at ten on Sundays.'); // => {}
   * await detector.add(2, 'The museum opens at nine on weekdays, and at ten on Sundays!');
   * // => { duplicateOf: 1, similarity: 1, exact: true }
   * ```
   */
  async add(id: DocId, text: string): Promise<DetectResult> {
    return this.settle('add', this.pending(`${NAME}.add`, id, text));
  }

  /**
   * Adds many documents in rounds of one script call each, up to `batchSize` documents per call: the script decides
   * and stores them one after the other, each atomically, and hands back the candidates of those that need
   * verifying; the next call carries those (verified meanwhile) and new documents. The verdicts are those of `add`
   * called in order: while a document waits for its candidates to be verified, the later documents that share a
   * band entry, an exact key or an id with it wait too (held back, or deferred by the script); the others go on
   * (their order cannot change which documents they match). While the server runs a call, the next documents are
   * read and prepared (normalized, shingled, hashed), about one call's worth ahead of those settled, so the client's
   * work overlaps the server's.
   * @param docs - `{ id, text }` records, an iterable or async iterable (a JSONL reader's parsed lines)
   * @param options - `batchSize`, documents per script call (fewer when their records pass 4 MB), an integer ≥ 1 (default 256)
   * @returns one result per document, in order
   * @throws as `add`, and TypeError for `docs` that is not iterable or a document that is not an `{ id, text }`
   *   object; at the first id already stored or bad document it rejects once the documents before it are settled
   *   (stored or answered as duplicates); documents after it that did not wait for it may be stored too
   * @example
   * ```ts
   * // needs: redis-server (`redis` is a connected node-redis client)
   * const detector = await RedisNearDuplicateDetector.open(redis, { prefix: 'example-many' });
   * const text = 'Batched adds give the same verdicts as adding one document at a time.';
   * const results = await detector.addMany([{ id: 'a', text }, { id: 'b', text: text.toUpperCase() }, { id: 'c', text: 'Another one.' }]);
   * results.map((r) => r.duplicateOf); // => [undefined, 'a', undefined]
   * ```
   */
  async addMany(
    docs: Iterable<{ id: DocId; text: string }> | AsyncIterable<{ id: DocId; text: string }>,
    options?: { batchSize?: number },
  ): Promise<DetectResult[]> {
    assertOptions(`${NAME}.addMany`, 'options', options, ['batchSize']);
    const batchSize = options?.batchSize ?? REDIS_DETECTOR_DEFAULTS.batchSize;
    assertInteger(`${NAME}.addMany: options.batchSize`, batchSize, 1, 1 << 20);
    const what = `${NAME}.addMany`;
    if (typeof docs !== 'object' || docs === null || !(Symbol.iterator in docs || Symbol.asyncIterator in docs)) {
      fail(TypeError, `${what}: docs`, 'an iterable or async iterable of { id, text } objects', docs);
    }
    const source = Symbol.asyncIterator in docs
      ? (docs as AsyncIterable<{ id: DocId; text: string }>)[Symbol.asyncIterator]()
      : (docs as Iterable<{ id: DocId; text: string }>)[Symbol.iterator]();
    const out: DetectResult[] = [];
    // The documents read and not settled yet, in order (at: position in docs), at most batchSize of them and about
    // MAX_CALL_BYTES of records: each round sends those that may go (see `sendable`) in one script call, and refills.
    let pool: { at: number; p: Pending }[] = [];
    let poolBytes = 0;
    // Documents read and prepared while the server ran the previous call, for the next rounds (in order, after pool).
    let ahead: { at: number; p: Pending }[] = [];
    let read = 0;
    let exhausted = false;
    // Set by take (a closure), so declared by assertion: not narrowed to null below.
    let bad = null as { error: unknown } | null;
    let failed = null as { error: unknown } | null; // the source threw
    let refused: { at: number; p: Pending } | null = null;
    /** Reads and prepares the next document into `into`; false once no more may be read. */
    const take = async (into: { at: number; p: Pending }[]): Promise<boolean> => {
      if (exhausted || bad !== null || failed !== null || refused !== null) return false;
      let next: IteratorResult<{ id: DocId; text: string }>;
      try {
        next = await source.next();
      } catch (error) {
        failed = { error };
        return false;
      }
      if (next.done === true) {
        exhausted = true;
        return false;
      }
      try {
        const d = next.value;
        if (typeof d !== 'object' || d === null) fail(TypeError, `${what}: each document`, 'an { id, text } object', d);
        const p = this.pending(what, d.id, d.text, true);
        into.push({ at: read++, p });
        return true;
      } catch (error) {
        // Settle the documents before it, then throw.
        bad = { error };
        return false;
      }
    };
    try {
      for (;;) {
        let k = 0;
        for (; k < ahead.length && pool.length < batchSize && poolBytes < MAX_CALL_BYTES; k++) {
          pool.push(ahead[k]!);
          poolBytes += ahead[k]!.p.record.length;
        }
        ahead = ahead.slice(k);
        while (ahead.length === 0 && pool.length < batchSize && poolBytes < MAX_CALL_BYTES && (await take(pool))) {
          poolBytes += pool[pool.length - 1]!.p.record.length;
        }
        // The source threw: rejects where reading it would have, once every document read before is in the pool
        // (and not at all after a refused id, which stops reading: its RangeError comes once the pool is settled).
        if (failed !== null && refused === null && ahead.length === 0 && pool.length < batchSize && poolBytes < MAX_CALL_BYTES) {
          throw failed.error;
        }
        if (pool.length === 0) break;
        const docsNow = pool.map((e) => e.p);
        const shared = sharedKeys(docsNow.map((p) => p.keys), this.keyTable);
        const round = sendable(shared, this.keyTable);
        const call = this.runMany('add', round.map((k) => docsNow[k]!), round.map((k) => shared[k]!))
          .then((replies) => ({ replies }), (error: unknown) => ({ error }));
        // While the server runs the call, prepare the documents that will take the place of those it settles (the
        // client's work overlaps the server's; reading stops at a bad document as above). First let the client write
        // the call: node-redis writes on setImmediate, after the microtasks this loop runs in.
        await nextMacrotask();
        let aheadBytes = 0;
        while (ahead.length < round.length && aheadBytes < MAX_CALL_BYTES && (await take(ahead))) {
          aheadBytes += ahead[ahead.length - 1]!.p.record.length;
        }
        const done = await call;
        if ('error' in done) throw done.error;
        const replies = done.replies;
        const settled = new Set<number>();
        for (let j = 0; j < round.length; j++) {
          const reply = replies[j]!;
          const e = pool[round[j]!]!;
          if (reply[0] === 3) continue;
          if (reply[0] === 4) {
            if (refused === null || e.at < refused.at) refused = e;
            continue;
          }
          const r = this.outcome(e.p, reply);
          if (r !== null) {
            out[e.at] = r;
            settled.add(round[j]!);
          }
        }
        const stop = refused?.at ?? Infinity;
        pool = pool.filter((e, k) => !settled.has(k) && e.at < stop);
        if (refused !== null) ahead = [];
        poolBytes = pool.reduce((n, e) => n + e.p.record.length, 0);
      }
    } finally {
      if (!exhausted) await source.return?.();
    }
    if (refused !== null) this.outcome(refused.p, [4]);
    if (bad !== null) throw bad.error;
    return out;
  }

  /**
   * Adds JSON Lines records (`{"id": …, "text": …}` per line; blank lines skipped) with {@link
   * RedisNearDuplicateDetector.addMany}: the bulk import for a JSONL file read line by line (e.g. `readline`).
   * @param lines - the lines, an iterable or async iterable of strings
   * @param options - `idField` (default `'id'`), `textField` (default `'text'`), `batchSize` (as `addMany`)
   * @returns one result per record, in order
   * @throws SyntaxError naming the line for invalid JSON; TypeError naming the line when a record lacks a string
   *   or number id or a string text; otherwise as `addMany`
   * @example
   * ```ts
   * // needs: redis-server (`redis` is a connected node-redis client)
   * const detector = await RedisNearDuplicateDetector.open(redis, { prefix: 'example-jsonl' });
   * const lines = ['{"id":1,"text":"a line of text from a jsonl file"}', '', '{"id":2,"text":"A line of text from a JSONL file."}'];
   * (await detector.addJsonl(lines)).map((r) => r.duplicateOf); // => [undefined, 1]
   * ```
   */
  async addJsonl(
    lines: Iterable<string> | AsyncIterable<string>,
    options?: { idField?: string; textField?: string; batchSize?: number },
  ): Promise<DetectResult[]> {
    assertOptions(`${NAME}.addJsonl`, 'options', options, ['idField', 'textField', 'batchSize']);
    const idField = options?.idField ?? 'id';
    const textField = options?.textField ?? 'text';
    const what = `${NAME}.addJsonl`;
    async function* records(): AsyncGenerator<{ id: DocId; text: string }> {
      let n = 0;
      for await (const line of lines) {
        n++;
        if (typeof line !== 'string') throw new TypeError(`${what}: line ${n} is not a string, got ${describe(line)}`);
        if (line.trim() === '') continue;
        let record: unknown;
        try {
          record = JSON.parse(line);
        } catch (err) {
          throw new SyntaxError(`${what}: line ${n} is not valid JSON (${(err as Error).message})`);
        }
        const r = record as Record<string, unknown> | null;
        const id = r?.[idField];
        const text = r?.[textField];
        if ((typeof id !== 'string' && typeof id !== 'number') || typeof text !== 'string') {
          throw new TypeError(`${what}: line ${n} needs a string or number "${idField}" and a string "${textField}"`);
        }
        yield { id, text };
      }
    }
    return this.addMany(records(), options?.batchSize === undefined ? undefined : { batchSize: options.batchSize });
  }

  /**
   * Like `add` but stores nothing: what would `text` duplicate now?
   * @param text - the document
   * @returns as `add`
   * @throws TypeError if `text` is not a string; Error after `timeoutMs`
   * @example
   * ```ts
   * // needs: redis-server (`redis` is a connected node-redis client)
   * const detector = await RedisNearDuplicateDetector.open(redis, { prefix: 'example-check' });
   * await detector.add('x', 'A sentence that is long enough to be shingled into several word five-grams.');
   * (await detector.check('a sentence that is long enough to be shingled into several word five grams')).duplicateOf; // => 'x'
   * await detector.size(); // => 1
   * ```
   */
  async check(text: string): Promise<DetectResult> {
    return this.settle('check', this.pending(`${NAME}.check`, 0, text));
  }

  /**
   * Forgets a document and every entry it made (band entries, exact key, id, echoes pointing at it).
   * @param id - the id of a stored document
   * @returns true if it was stored, false if not
   * @throws TypeError for a bad id; Error after `timeoutMs`
   * @example
   * ```ts
   * // needs: redis-server (`redis` is a connected node-redis client)
   * const detector = await RedisNearDuplicateDetector.open(redis, { prefix: 'example-remove' });
   * const text = 'Forgotten documents stop matching the documents that come after them.';
   * await detector.add(1, text);
   * [await detector.remove(1), await detector.remove(1), await detector.add(2, text)]; // => [true, false, {}]
   * ```
   */
  async remove(id: DocId): Promise<boolean> {
    assertId(`${NAME}.remove: id`, id);
    const enc = encodeId(id);
    return (await this.run(['remove', `i${enc}`, String(idBucket(enc, this.stored.buckets))], true)) === 1;
  }

  /**
   * Whether a document with this id is stored (kept, not removed, not expired).
   * @param id - any id
   * @returns true if `id` is stored
   * @throws TypeError for a bad id; Error after `timeoutMs`
   * @example
   * ```ts
   * // needs: redis-server (`redis` is a connected node-redis client)
   * const detector = await RedisNearDuplicateDetector.open(redis, { prefix: 'example-has' });
   * const text = 'Only kept documents are remembered; duplicates are reported and dropped.';
   * await detector.add('a', text);
   * await detector.add('b', text);
   * [await detector.has('a'), await detector.has('b')]; // => [true, false]
   * ```
   */
  async has(id: DocId): Promise<boolean> {
    assertId(`${NAME}.has: id`, id);
    const enc = encodeId(id);
    return (await this.run(['has', `i${enc}`, String(idBucket(enc, this.stored.buckets))])) === 1;
  }

  /**
   * Number of documents stored (kept, not removed, not expired).
   * @returns the count
   * @throws Error after `timeoutMs`
   * @example
   * ```ts
   * // needs: redis-server (`redis` is a connected node-redis client)
   * const detector = await RedisNearDuplicateDetector.open(redis, { prefix: 'example-size' });
   * await detector.addMany([{ id: 1, text: 'one document here' }, { id: 2, text: 'and another one there' }]);
   * await detector.size(); // => 2
   * ```
   */
  async size(): Promise<number> {
    return Number(await this.run(['size']));
  }

  /**
   * Fills an empty index from a `NearDuplicateDetector.toBytes()` snapshot made with the same options: its
   * documents (in their order) and the answers its duplicates got. Run it before other writers start.
   * @param bytes - the snapshot
   * @returns the number of documents stored
   * @throws RangeError if the snapshot is invalid, has other options or the index is not empty; Error after `timeoutMs`
   * @example
   * ```ts
   * // needs: redis-server (`redis` is a connected node-redis client)
   * const local = new NearDuplicateDetector();
   * local.add('a', 'A service saves its state before it stops and moves it to a shared index.');
   * const detector = await RedisNearDuplicateDetector.open(redis, { prefix: 'example-import' });
   * await detector.importSnapshot(local.toBytes()); // => 1
   * (await detector.check('a service saves its state before it stops and moves it to a shared index')).duplicateOf; // => 'a'
   * ```
   */
  async importSnapshot(bytes: Uint8Array): Promise<number> {
    const what = `${NAME}.importSnapshot`;
    const local = NearDuplicateDetector.fromBytes(bytes);
    const diff = differences(storedOptions(what, local.options, { prefix: this.prefix }) as unknown as Record<string, unknown>, this.stored)
      .filter((d) => !d.startsWith('window ') && !d.startsWith('buckets '));
    if (diff.length > 0) throw new RangeError(`${what}: the snapshot has other options: ${diff.join('; ').replace(/stored/g, 'snapshot').replace(/given/g, 'index')}`);
    if ((await this.size()) !== 0) throw new RangeError(`${what}: the index "${this.prefix}" is not empty`);
    const where = new Map<number, { seg: string; ord: number }>();
    const entries = [...local.entries()];
    const chunk = REDIS_DETECTOR_DEFAULTS.batchSize;
    for (let i = 0; i < entries.length; i += chunk) {
      const part = entries.slice(i, i + chunk);
      const replies = await this.runMany('put', part.map(({ id, doc }) => this.pendingPrepared(id, doc)), []);
      replies.forEach((reply, k) => {
        if (reply[0] === 4) fail(RangeError, `${what}: id`, 'an id not already in the index', part[k]!.id);
        where.set(part[k]!.slot, { seg: text(reply[1]), ord: Number(reply[2]) });
      });
    }
    const echoes = [...local.echoEntries()];
    await Promise.all(echoes.map(({ keyHi, keyLo, match }) => {
      const at = where.get(match.slot)!;
      const key = exactKey({ keyHi, keyLo } as PreparedDocument);
      return this.run(['echo', at.seg, String(at.ord), key, match.exact ? '\u0001' : '\u0000', String(match.similarity)], true);
    }));
    return entries.length;
  }

  /**
   * Copies the index into a new in-memory `NearDuplicateDetector` (same options, documents in arrival order, the
   * answers duplicates got). Not atomic: documents added meanwhile may or may not be included.
   * @returns the detector
   * @throws Error after `timeoutMs`
   * @example
   * ```ts
   * // needs: redis-server (`redis` is a connected node-redis client)
   * const detector = await RedisNearDuplicateDetector.open(redis, { prefix: 'example-export' });
   * await detector.add('a', 'Exported documents answer in memory as they did on the server.');
   * const local = await detector.toDetector();
   * [local.size, local.add('b', 'exported documents answer in memory as they did on the server').duplicateOf]; // => [1, 'a']
   * ```
   */
  async toDetector(): Promise<NearDuplicateDetector> {
    const local = new NearDuplicateDetector(this.options);
    const segs = ((await this.run(['segments'])) as unknown[]).map(text);
    const records: { ord: number; rec: Uint8Array }[] = [];
    const base = `{${this.prefix}}:`;
    for (const seg of segs) {
      for (const [field, value] of await this.hashEntries(`${base}s${seg}:d`)) {
        records.push({ ord: new DataView(field.buffer, field.byteOffset, 4).getUint32(0, false), rec: value });
      }
    }
    records.sort((a, b) => a.ord - b.ord);
    const slotOf = new Map<number, number>();
    for (const { ord, rec } of records) {
      const doc = this.documentOf(rec);
      slotOf.set(ord, local.store(doc.id, doc.doc));
    }
    for (const seg of segs) {
      for (let b0 = 0; b0 < this.stored.buckets; b0 += 256) {
        const hashes = await Promise.all(Array.from({ length: Math.min(256, this.stored.buckets - b0) }, (_, k) =>
          this.hashEntries(`${base}s${seg}:h${b0 + k}`)));
        for (const entries of hashes) {
          for (const [field, value] of entries) {
            if (field[0] !== 0x65 || field.length !== 9) continue; // 'e' + 8-byte exact key
            const f = new DataView(field.buffer, field.byteOffset, 9);
            const v = new DataView(value.buffer, value.byteOffset, value.byteLength);
            const slot = slotOf.get(v.getUint32(0, false));
            if (slot === undefined) continue;
            local.restoreEcho(f.getUint32(1, true), f.getUint32(5, true), {
              slot, exact: value[4] === 1, similarity: Number(decoder.decode(value.subarray(5))),
            });
          }
        }
      }
    }
    return local;
  }

  /**
   * Stops this handle: later calls reject. The client stays open (it is the caller's).
   * @returns once closed
   * @throws never
   * @example
   * ```ts
   * // needs: redis-server (`redis` is a connected node-redis client)
   * const detector = await RedisNearDuplicateDetector.open(redis, { prefix: 'example-close' });
   * await detector.close();
   * await detector.size().catch((e) => e.message); // => 'RedisNearDuplicateDetector: this detector is closed'
   * ```
   */
  async close(): Promise<void> {
    this.closed = true;
  }

  // --- internals ---

  /** A document on its way in; `batched`: with the keys `addMany` orders its rounds by. */
  private pending(what: string, id: DocId, text: string, batched = false): Pending {
    assertId(`${what}: id`, id);
    assertString(`${what}: text`, text);
    return this.pendingPrepared(id, prepareWith(text, this.options), batched);
  }

  private pendingPrepared(id: DocId, doc: PreparedDocument, batched = false): Pending {
    const enc = encodeId(id);
    const idField = encoder.encode(`i${enc}`);
    if (idField.length - 1 > 65535) throw new RangeError(`${NAME}: an id must encode to at most 65,535 UTF-8 bytes, got ${idField.length - 1}`);
    const record = encodeRecord(enc, doc, this.stored.bands, this.stored.rows, this.options.method === 'minhash' && this.options.verify);
    const bands = record[9]! | (record[10]! << 8);
    const parts = record.subarray(11, 11 + 5 * bands);
    const bucket = idBucket(enc, this.stored.buckets);
    const keys = batched ? keysOf(xxh32(idField), doc.empty, doc.keyHi, doc.keyLo, parts) : [];
    return { id, enc, idField, bucket, query: null, parts, record, keys, seen: NONE, seenCount: 0, candidates: [], matches: [] };
  }

  /**
   * One script call for `docs` in order (one atomic step per document); one reply per document. The documents go
   * packed in one argument (see the script): one buffer to write and one to parse, not nine arguments each.
   */
  private async runMany(op: 'add' | 'check' | 'put', docs: readonly Pending[], shared: readonly (readonly number[] | null)[]): Promise<unknown[][]> {
    // Per document: the lengths of the six parts (4 bytes each), then the parts (see the script): the keys it shares
    // (4 bytes each), its id field, the ordinals it has seen, its decided match, the names of its small hashes (6
    // bytes each: the id's, the exact key's, each band entry's) and its record. A check sends only the head of the
    // record (flags, exact key, band entries): it stores nothing.
    let size = 0;
    const matches: Uint8Array[] = [];
    for (let k = 0; k < docs.length; k++) {
      const p = docs[k]!;
      const m = p.matches.length === 0 ? NONE : encoder.encode(p.matches.map((x) => `${x.seg}:${x.slot}:${x.similarity}`).join(';'));
      matches.push(m);
      size += 24 + 4 * (shared[k]?.length ?? 0) + p.idField.length + 4 * p.seenCount + m.length + 6 * (2 + p.parts.length / 5) +
        recordLength(op, p);
    }
    const blob = new Uint8Array(size);
    const view = new DataView(blob.buffer);
    const names = this.bucketNames;
    const buckets = this.stored.buckets;
    let at = 0;
    for (let k = 0; k < docs.length; k++) {
      const p = docs[k]!;
      const keys = shared[k];
      const m = matches[k]!;
      const rec = p.record;
      const recLength = recordLength(op, p);
      const parts = p.parts;
      const bands = parts.length / 5;
      view.setUint32(at, keys ? 4 * keys.length : 0, true);
      view.setUint32(at + 4, p.idField.length, true);
      view.setUint32(at + 8, 4 * p.seenCount, true);
      view.setUint32(at + 12, m.length, true);
      view.setUint32(at + 16, 6 * (2 + bands), true);
      view.setUint32(at + 20, recLength, true);
      at += 24;
      if (keys) for (let i = 0; i < keys.length; i++, at += 4) view.setUint32(at, keys[i]!, true);
      blob.set(p.idField, at);
      at += p.idField.length;
      for (let i = 0; i < 4 * p.seenCount; i++) blob[at++] = p.seen[i]!;
      if (m.length > 0) blob.set(m, at);
      at += m.length;
      // The small hashes: the id's, the exact key's (the record's bytes 1–2), each band entry's (its key's first two bytes).
      for (let n = 0; n < 2 + bands; n++) {
        const b = n === 0 ? p.bucket : n === 1 ? ((rec[1]! << 8) | rec[2]!) % buckets : ((parts[5 * n - 9]! << 8) | parts[5 * n - 8]!) % buckets;
        for (let i = 0; i < 6; i++) blob[at++] = names[6 * b + i]!;
      }
      blob.set(recLength === rec.length ? rec : rec.subarray(0, recLength), at);
      at += recLength;
    }
    return (await this.run([op, blob, String(this.perBand)], op !== 'check')) as unknown[][];
  }

  /** Runs `p` alone until it settles (verifying candidates between attempts). */
  private async settle(op: 'add' | 'check', p: Pending): Promise<DetectResult> {
    for (;;) {
      const [reply] = await this.runMany(op, [p], []);
      const r = this.outcome(p, reply!);
      if (r !== null) return r;
    }
  }

  /** The result of a reply, or null after verifying the candidates it carried (the caller asks again). */
  private outcome(p: Pending, reply: unknown[]): DetectResult | null {
    switch (reply[0]) {
      case 0:
        return {};
      case 1:
        return { duplicateOf: decodeIdText(reply[5]), similarity: Number(text(reply[3])), exact: reply[4] === 1 };
      case 2: {
        for (let i = 1; i < reply.length; i += 3) {
          const seg = text(reply[i]);
          const ord = Number(reply[i + 1]);
          addSeen(p, ord);
          const { doc, parts, sketch } = this.documentOf(bytes(reply[i + 2]));
          p.candidates.push({ seg, ord, doc, parts, sketch });
        }
        p.matches = this.decide(p);
        return null;
      }
      case 5: {
        // The decided match was removed since: decide again among the candidates still stored.
        const gone = Number(reply[1]);
        p.candidates = p.candidates.filter((c) => c.ord !== gone);
        p.matches = this.decide(p);
        return null;
      }
      case 4:
        fail(RangeError, `${NAME}.add: id`, 'an id not already in the index', p.id);
      default:
        throw new Error(`${NAME}: unexpected reply from the server script (${describe(reply[0])})`);
    }
  }

  /**
   * The match that decides `p` among the candidates received so far, by the in-memory detector's rule: they go
   * into a scratch store in arrival order (slot k = k-th smallest ordinal, so ties still go to the older
   * document), each band's bucket is cut to its `maxCandidates / bands` newest members as the in-memory LSH
   * index lists them, and `rankByBands` + `verifyInOrder` pick the first verified match in rank order.
   */
  private decide(p: Pending): (Match & { seg: string })[] {
    const o = this.options;
    const doc = (p.query ??= this.queryOf(p.record));
    const signature = doc.signature;
    if (!signature || p.parts.length === 0) return [];
    const cands = p.candidates.sort((a, b) => a.ord - b.ord);
    const kept = this.scratch;
    kept.reset();
    for (let k = 0; k < cands.length; k++) kept.put(k, cands[k]!.doc, cands[k]!.sketch ?? undefined);
    const bands = this.stored.bands;
    const perBand = this.perBand;
    const hits = this.hits;
    hits.length = 0;
    for (let at = 0; at < p.parts.length; at += 5) {
      let left = perBand;
      for (let k = cands.length - 1; k >= 0 && left > 0; k--) {
        if (sameEntry(cands[k]!.parts, p.parts, at)) {
          hits.push(k);
          left--;
        }
      }
    }
    const order = this.order;
    const all = (): boolean => true;
    let n = order.distinct(hits);
    n = rankByBands(signature, n, bands, this.stored.rows, o, kept, order, all, this.stats);
    let found: (Match & { seg: string })[] = [];
    verifyInOrder(doc, n, o, kept, order, all, undefined, (k, similarity) => {
      found = [{ seg: cands[k]!.seg, slot: cands[k]!.ord, similarity, exact: false }];
      return true;
    }, this.stats);
    return found;
  }

  /**
   * Every field and value of a hash, read with HSCAN (binary field names intact with both clients; HSCAN may
   * return a field twice while the hash is rehashed, so fields are deduplicated).
   */
  private async hashEntries(key: string): Promise<[Uint8Array, Uint8Array][]> {
    const out = new Map<string, [Uint8Array, Uint8Array]>();
    let cursor = '0';
    do {
      const reply = (await this.call(['HSCAN', key, cursor, 'COUNT', '1000'])) as unknown[];
      cursor = text(reply[0]);
      const items = reply[1] as unknown[];
      for (let i = 0; i < items.length; i += 2) {
        const field = bytes(items[i]);
        out.set(field.join(','), [field, bytes(items[i + 1])]);
      }
    } while (cursor !== '0');
    return [...out.values()];
  }

  /**
   * A stored record as a prepared document, with its band entries and its packed sketch (which `KeptStore.put`
   * copies as it is: the candidates of a query need nothing more of their MinHash values). The signature is
   * recomputed from the shingles on first read (`toDetector`).
   */
  private documentOf(rec: Uint8Array): { id: DocId; doc: PreparedDocument; parts: Uint8Array; sketch: Uint8Array | null } {
    const r = decodeRecord(rec, NAME, this.options.numPerm);
    const o = this.options;
    let signature: Uint32Array | null | undefined = o.method === 'minhash' ? undefined : null;
    const doc: PreparedDocument = {
      length: r.length, empty: r.empty, keyHi: r.keyHi, keyLo: r.keyLo, optionsHash: this.optionsHash, shingles: r.shingles,
      get signature(): Uint32Array | null {
        signature ??= hasherFor(o).signatureInto(r.shingles, new Uint32Array(o.numPerm));
        return signature;
      },
      fingerprint: null, normalized: r.normalized,
    };
    return { id: r.id, doc, parts: r.parts, sketch: r.sketch };
  }

  /**
   * A document's own record as the prepared document a query verifies: what `prepareWith` gave, except that with a
   * sketch (verification on) the signature holds the sketch values, which is all that ranking against the
   * candidates' sketches reads (`KeptStore.sharesBand`, `setQuery`: the low 4 bits of each value).
   */
  private queryOf(record: Uint8Array): PreparedDocument {
    const { doc, sketch } = this.documentOf(record);
    if (sketch === null || !this.scratch.hasSketch) return doc;
    const signature = new Uint32Array(this.options.numPerm);
    for (let i = 0; i < signature.length; i++) signature[i] = sketchValue(sketch, 0, i);
    const { length, empty, keyHi, keyLo, optionsHash, shingles, fingerprint, normalized } = doc; // not the signature getter
    return { length, empty, keyHi, keyLo, optionsHash, shingles, signature, fingerprint, normalized };
  }

  /**
   * One script call, reloading the script once if the server lost it (restart, SCRIPT FLUSH), within `timeoutMs`.
   *
   * A call that `writes` carries a receipt key with a fresh nonce (see the script): if the connection drops after
   * the script ran and before its reply came, sending the same command again answers with the reply it gave then
   * and changes nothing (calls that only read are safe to repeat as they are). ioredis re-sends such commands by
   * itself; node-redis rejects them ("Socket closed unexpectedly"), so a call rejected by the connection (not by the
   * server) is sent again here, with the same nonce, until `timeoutMs` has passed.
   */
  private async run(args: (string | Uint8Array)[], writes = false): Promise<unknown> {
    const deadline = Date.now() + this.timeoutMs;
    const keys = writes ? ['2', this.meta, `{${this.prefix}}:n${nonce()}`] : ['1', this.meta];
    const tail = writes ? [String(receiptMs(this.timeoutMs))] : [];
    let lost: Error | null = null;
    for (let attempt = 0; ; attempt++) {
      try {
        try {
          return await this.call(['EVALSHA', this.sha, ...keys, ...args, ...tail], deadline);
        } catch (err) {
          if (!(err instanceof Error) || !/NOSCRIPT/.test(err.message)) throw err;
          this.sha = text(await this.call(['SCRIPT', 'LOAD', SCRIPT], deadline));
          return await this.call(['EVALSHA', this.sha, ...keys, ...args, ...tail], deadline);
        }
      } catch (err) {
        const timedOut = err instanceof Error && err.message.startsWith(`${NAME}: no reply`);
        if (!(lostConnection(err) || (lost !== null && timedOut))) throw rename(err);
        if (!timedOut) lost = err as Error;
        const left = deadline - Date.now();
        if (left <= 0 || timedOut) {
          const lostHow = `the connection was lost before the reply to a script call (${String(args[0])}) came, and no ` +
            `reconnection answered within ${this.timeoutMs} ms (timeoutMs)`;
          throw new Error(writes
            ? `${NAME}: ${lostHow}: the call may or may not have run on the server (${lost!.message}). The index is ` +
              'consistent either way; documents it did store are reported by has(id), and adding them again is ' +
              'refused as ids already stored'
            : `${NAME}: ${lostHow} (${lost!.message})`);
        }
        // The client queues commands while it reconnects; a short pause keeps a client that refuses them instead
        // (node-redis disableOfflineQueue) from spinning.
        await new Promise((r) => setTimeout(r, Math.min(left, 10 * 2 ** Math.min(attempt, 5))));
      }
    }
  }

  /** One command, rejected after what is left until `deadline`. */
  private async call(args: (string | Uint8Array)[], deadline = Date.now() + this.timeoutMs): Promise<unknown> {
    if (this.closed) throw new Error(`${NAME}: this detector is closed`);
    return withTimeout(this.send, Math.max(1, deadline - Date.now()), NAME, this.timeoutMs)(args);
  }
}

/** Appends a candidate's ordinal to what `p` has seen (4 bytes, big-endian, as the script reads them). */
function addSeen(p: Pending, ord: number): void {
  if (4 * p.seenCount === p.seen.length) {
    const grown = new Uint8Array(Math.max(16, 2 * p.seen.length));
    grown.set(p.seen);
    p.seen = grown;
  }
  new DataView(p.seen.buffer).setUint32(4 * p.seenCount++, ord, false);
}

/** Whether the band entry at `at` of `query` (band byte + key) is among the band entries `parts`, at the same place. */
function sameEntry(parts: Uint8Array, query: Uint8Array, at: number): boolean {
  if (parts.length !== query.length) return false;
  for (let i = at; i < at + 5; i++) if (parts[i] !== query[i]) return false;
  return true;
}

/** Bytes of `p`'s record a call sends: all of it, or for a check its head (flags, exact key, band entries). */
function recordLength(op: string, p: Pending): number {
  return op === 'check' ? 11 + p.parts.length : p.record.length;
}

/** Resolves after the event loop's pending I/O callbacks (setImmediate where there is one: Node, Deno, Bun). */
function nextMacrotask(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}

/**
 * How long a call's receipt lives (ms): long past any re-send of it (ioredis re-sends once reconnected; `run`
 * gives up after `timeoutMs`), short enough that receipts cost little (a few bytes per document of the call).
 */
function receiptMs(timeoutMs: number): number {
  return Math.max(120_000, 4 * timeoutMs);
}

/** 8 random bytes as 16 hex digits: the nonce naming one call's receipt. */
function nonce(): string {
  const b = new Uint8Array(8);
  globalThis.crypto.getRandomValues(b);
  let out = '';
  for (const x of b) out += x.toString(16).padStart(2, '0');
  return out;
}

/**
 * Whether `err` is the client giving up on a command because its connection closed (the command may have run),
 * not an error reply from the server (which starts with an upper-case code: ERR, NOSCRIPT, BUSY, …) nor our
 * timeout.
 */
function lostConnection(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'ReplyError' || err.name === 'ErrorReply' || err.message.startsWith(`${NAME}:`)) return false;
  return !/^[A-Z][A-Z0-9_]*( |$)/.test(err.message);
}

function rename(err: unknown): unknown {
  if (err instanceof Error && /NDUP_NOINDEX/.test(err.message)) {
    return new Error(`${NAME}: the index was deleted from the server (its meta key is gone); open it again`);
  }
  return err;
}

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return decoder.decode(v);
  if (typeof v === 'number') return String(v);
  throw new TypeError(`${NAME}: expected a string reply, got ${describe(v)}`);
}

function bytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  throw new TypeError(`${NAME}: expected a binary reply (Uint8Array), got ${describe(v)}; a call(args) client must return bulk strings as bytes`);
}

function decodeIdText(v: unknown): DocId {
  const s = text(v);
  return s[0] === 'n' ? Number(s.slice(1)) : s.slice(1);
}
