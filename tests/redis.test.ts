/**
 * RedisNearDuplicateDetector against a real redis-server (started per file on a free port, no persistence).
 * Skipped with a message when redis-server is not on PATH; fails under CI=true (see helpers/redis-server.ts).
 */
import { spawn } from 'node:child_process';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NearDuplicateDetector, RedisNearDuplicateDetector, type DedupeOptions, type DetectResult, type DocId, type RedisClientLike } from '../src/index';
import { families, plantedCorpus } from './helpers/planted';
import { mulberry32 as rng } from './helpers/random';
import { describeRedis, startRedis, type RedisServer } from './helpers/redis-server';

const SEED = readFileSync(fileURLToPath(new URL('../seeds/000_cc1f5f790d2f55b7.txt', import.meta.url)), 'utf8');
const WRITER = fileURLToPath(new URL('./fixtures/redis-writer.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

type Op = { op: 'add'; id: DocId; text: string } | { op: 'remove'; id: DocId } | { op: 'check'; text: string };

/** Every document added in order, with a check of a lowercased copy (10%) and the removal of a random one (5%) after some. */
function mixedOps(docs: { id: DocId; text: string }[], rand: () => number): Op[] {
  const ops: Op[] = [];
  for (const d of docs) {
    ops.push({ op: 'add', id: d.id, text: d.text });
    if (rand() < 0.1) ops.push({ op: 'check', text: d.text.toLowerCase() });
    if (rand() < 0.05) ops.push({ op: 'remove', id: docs[Math.floor(rand() * docs.length)]!.id });
  }
  return ops;
}

let server: RedisServer;
let nodeRedis: ReturnType<typeof createClient>;
let ioredis: Redis;
let prefixes = 0;
const fresh = (name: string): string => `${name}-${prefixes++}`;

/** Runs `ops` on an in-memory detector and on a Redis one; returns both answer lists (and final sizes). */
async function both(client: RedisClientLike, options: DedupeOptions, ops: Op[], pipelined = false) {
  const local = new NearDuplicateDetector(options);
  const remote = await RedisNearDuplicateDetector.open(client, { prefix: fresh('same'), ...options });
  const expected: unknown[] = [];
  for (const o of ops) {
    if (o.op === 'add') expected.push(local.add(o.id, o.text));
    else if (o.op === 'remove') expected.push(local.remove(o.id));
    else expected.push(local.check(o.text));
  }
  const actual: unknown[] = [];
  for (let i = 0; i < ops.length; ) {
    const o = ops[i]!;
    if (o.op === 'add' && pipelined) {
      // Runs of adds go through addMany (several batches, so waits inside a batch and batch ends are both exercised).
      let j = i;
      while (j < ops.length && ops[j]!.op === 'add') j++;
      const run = ops.slice(i, j) as { id: DocId; text: string }[];
      actual.push(...(await remote.addMany(run, { batchSize: 7 })));
      i = j;
      continue;
    }
    if (o.op === 'add') actual.push(await remote.add(o.id, o.text));
    else if (o.op === 'remove') actual.push(await remote.remove(o.id));
    else actual.push(await remote.check(o.text));
    i++;
  }
  return { expected, actual, localSize: local.size, remoteSize: await remote.size(), remote, local };
}

/** The receipts of the index's recent calls (`n` + 16 hex digits), which expire by themselves. */
const RECEIPT = /:n[0-9a-f]{16}$/;

/**
 * Keys of one index, and the bytes Redis reports for them (MEMORY USAGE, exact: SAMPLES 0), receipts of recent calls
 * apart (they expire: see `receipts`).
 */
async function footprint(prefix: string): Promise<{ keys: number; bytes: number }> {
  const keys = (await ioredis.keys(`{${prefix}}:*`)).filter((k) => !RECEIPT.test(k));
  let bytes = 0;
  for (const k of keys) bytes += Number(await ioredis.call('MEMORY', 'USAGE', k, 'SAMPLES', '0'));
  return { keys: keys.length, bytes };
}

/** The seed article's paragraphs and edited variants of them (case, punctuation, a changed word, a cut). */
function seedVariants(): Op[] {
  const paragraphs = SEED.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p.length > 0);
  const rand = rng(13);
  const ops: Op[] = [];
  paragraphs.forEach((p, i) => {
    const words = p.split(/\s+/);
    ops.push({ op: 'add', id: `p${i}`, text: p });
    ops.push({ op: 'add', id: `p${i}-upper`, text: p.toUpperCase() });
    const edited = words.map((w) => (rand() < 0.05 ? 'changed' : w)).join(' ');
    ops.push({ op: 'add', id: `p${i}-edit`, text: edited });
    ops.push({ op: 'add', id: `p${i}-cut`, text: words.slice(0, Math.max(1, words.length - 3)).join(' ') });
  });
  // Shuffle so variants may come first.
  for (let i = ops.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ops[i], ops[j]] = [ops[j]!, ops[i]!];
  }
  return ops;
}

/** Runs the writer fixture in a child process. */
function writer(job: object): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; signal: string | null; out: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  child.stdin!.end(JSON.stringify(job));
  const done = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, out: out + err })));
  return { child, done };
}

function resultsOf(out: string): DetectResult[] {
  const line = out.split('\n').find((l) => l.startsWith('results '));
  if (!line) throw new Error(`writer printed no results:\n${out}`);
  return JSON.parse(line.slice(8)) as DetectResult[];
}

/** Every band entry, exact key and id entry points at a stored record, and every record has all of them. */
async function consistent(prefix: string, bands: number): Promise<void> {
  const keys = await ioredis.keys(`{${prefix}}:s[0-9]*`);
  const records = new Map<string, Buffer>();
  const entries = { band: 0, exact: 0, id: 0 };
  for (const k of keys.filter((k) => k.endsWith(':d'))) {
    const all = (await ioredis.callBuffer('HGETALL', k)) as Buffer[];
    for (let i = 0; i < all.length; i += 2) records.set(`${k.slice(0, -2)}/${all[i]!.toString('hex')}`, all[i + 1]!);
  }
  for (const k of keys.filter((k) => /:h\d+$/.test(k))) {
    const seg = k.replace(/:h\d+$/, '');
    const all = (await ioredis.callBuffer('HGETALL', k)) as Buffer[];
    for (let i = 0; i < all.length; i += 2) {
      const field = all[i]!;
      const value = all[i + 1]!;
      const kind = String.fromCharCode(field[0]!);
      if (kind === 'b') {
        for (let j = 0; j < value.length; j += 4) {
          expect(records.has(`${seg}/${value.subarray(j, j + 4).toString('hex')}`)).toBe(true);
          entries.band++;
        }
      } else if (kind === 'x' || kind === 'i') {
        expect(records.has(`${seg}/${value.toString('hex')}`)).toBe(true);
        entries[kind === 'x' ? 'exact' : 'id']++;
      }
    }
  }
  let bucketed = 0;
  for (const rec of records.values()) if (rec.readUInt16LE(9) > 0) bucketed++;
  expect(entries.id).toBe(records.size);
  expect(entries.band).toBe(bucketed * bands);
}

/**
 * A TCP proxy to the server that loses replies: while `drop` says so for the n-th script call (EVALSHA) seen, it
 * lets the command reach the server, waits for the server's first reply bytes (the script has then run), swallows
 * them and closes both sockets, as a connection lost between the script and its reply would.
 */
async function lossyProxy(port: number, drop: (n: number) => boolean): Promise<{ port: number; dropped: () => number; close: () => void }> {
  let calls = 0;
  let dropped = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((down) => {
    const up = connect(port, '127.0.0.1');
    sockets.add(down).add(up);
    let losing = false;
    down.on('data', (chunk: Buffer) => {
      if (chunk.includes('EVALSHA') && drop(++calls)) losing = true;
      up.write(chunk);
    });
    up.on('data', (chunk: Buffer) => {
      if (!losing) return void down.write(chunk);
      dropped++;
      down.destroy();
      up.destroy();
    });
    const end = (): void => {
      down.destroy();
      up.destroy();
    };
    down.on('close', end).on('error', end);
    up.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    dropped: () => dropped,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

describeRedis('RedisNearDuplicateDetector (real redis-server)', () => {
  beforeAll(async () => {
    server = await startRedis();
    nodeRedis = createClient({ url: server.url });
    await nodeRedis.connect();
    ioredis = new Redis(server.port, '127.0.0.1');
  });
  afterAll(async () => {
    await nodeRedis?.quit();
    ioredis?.disconnect();
    await server?.stop();
  });

  for (const [name, client] of [['node-redis', () => nodeRedis], ['ioredis', () => ioredis]] as const) {
    it(`add/check/remove give the in-memory detector's verdicts on the planted corpus (${name})`, async () => {
      const ops = mixedOps(plantedCorpus(11, 60, 4, 120), rng(5));
      const r = await both(client(), {}, ops);
      expect(r.actual).toEqual(r.expected);
      expect(r.remoteSize).toBe(r.localSize);
      expect(r.expected.filter((x) => (x as DetectResult).duplicateOf !== undefined).length).toBeGreaterThan(100);
    });
  }

  it('addMany(docs, {batchSize: 7}) over several batches gives the verdicts of add in order', async () => {
    const ops: Op[] = plantedCorpus(3, 40, 4, 80).map((d) => ({ op: 'add', id: d.id, text: d.text }));
    const r = await both(nodeRedis, { threshold: 0.7 }, ops, true);
    expect(r.actual).toEqual(r.expected);
  });

  it('addMany(docs, {batchSize: 256}) on near-duplicate chains in one batch gives the verdicts of add in order (both clients)', async () => {
    // Families of 6 near-copies, unshuffled: each batch holds long runs of documents that share band entries, so
    // documents wait for verification, are held back and deferred within one script call.
    const docs = plantedCorpus(41, 60, 5, 100);
    docs.sort((a, b) => Number(/\d+/.exec(a.id)![0]) - Number(/\d+/.exec(b.id)![0]));
    for (const client of [nodeRedis, ioredis]) {
      const local = new NearDuplicateDetector({ threshold: 0.7 });
      const expected = docs.map((d) => local.add(d.id, d.text));
      const remote = await RedisNearDuplicateDetector.open(client, { prefix: fresh('chains'), threshold: 0.7 });
      expect(await remote.addMany(docs, { batchSize: 256 })).toEqual(expected);
      expect(await remote.size()).toBe(local.size);
      expect(expected.filter((r) => r.duplicateOf !== undefined && !r.exact).length).toBeGreaterThan(100);
    }
    expect(docs.length).toBe(360);
  });

  it('addMany(docs, {batchSize}) of new documents: one script call per batch, one read and one write per band entry', async () => {
    // Operation counts, not time: INFO commandstats counts the commands the script runs.
    const d = await RedisNearDuplicateDetector.open(ioredis, { prefix: fresh('counts') });
    const docs = plantedCorpus(43, 301, 0, 60); // distinct documents
    await d.add(docs[0]!.id, docs[0]!.text); // the segment exists: every later add reads it
    await ioredis.config('RESETSTAT');
    const results = await d.addMany(docs.slice(1), { batchSize: 64 });
    expect(results.every((r) => r.duplicateOf === undefined)).toBe(true);
    const stats = String(await ioredis.info('commandstats'));
    const calls = (name: string) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    const n = 300;
    const scripts = Math.ceil(n / 64);
    expect(calls('evalsha')).toBe(scripts);
    expect(calls('hget')).toBe(n * (1 + 13)); // the id, then each band entry
    expect(calls('hmget')).toBe(n + scripts); // the exact key and echo together; meta once per call
    expect(calls('hset')).toBe(n * (3 + 13) + scripts); // record, id, exact key, band entries; next once per call
  });

  it('addMany(docs) splits a call whose records pass 4 MB (Redis caps one argument)', async () => {
    const d = await RedisNearDuplicateDetector.open(ioredis, { prefix: fresh('big') });
    const rand = rng(47);
    // 6 documents of 300,000 random words: about 1.2 MB of shingle hashes each in their records.
    const docs = Array.from({ length: 6 }, (_, i) => ({ id: `big${i}`, text: Array.from({ length: 300_000 }, () => Math.floor(rand() * 1e6 + 1e6).toString(36).replace(/[0-9]/g, (c) => "qrstuvwxyz"[Number(c)]!)).join(' ') }));
    await ioredis.config('RESETSTAT');
    expect(await d.addMany(docs)).toEqual(docs.map(() => ({})));
    const calls = Number(/cmdstat_evalsha:calls=(\d+)/.exec(String(await ioredis.info('commandstats')))![1]);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(calls).toBeLessThanOrEqual(3);
    expect((await d.check(docs[5]!.text)).duplicateOf).toBe('big5');
  }, 60_000);

  it('addMany rejects at the first id already stored or bad document, once the documents before it are settled', async () => {
    const d = await RedisNearDuplicateDetector.open(nodeRedis, { prefix: fresh('refused') });
    const [a, b, c, e] = plantedCorpus(45, 4, 0, 40);
    await d.add('taken', a!.text);
    // 'near' shares band entries with 'b' (it waits for verification in the call that refuses 'taken').
    const near = `${b!.text} extra`;
    const batch = [{ id: 'b', text: b!.text }, { id: 'near', text: near }, { id: 'taken', text: c!.text }, { id: 'e', text: e!.text }];
    await expect(d.addMany(batch)).rejects.toThrow(/RedisNearDuplicateDetector.add: id must be an id not already in the index, got "taken"/);
    expect([await d.has('b'), await d.has('near')]).toEqual([true, false]);
    expect((await d.check(near)).duplicateOf).toBe('b');
    // A bad document: the ones before it are settled, then the TypeError.
    const [f, g] = plantedCorpus(46, 2, 0, 40);
    await expect(d.addMany([{ id: 'f', text: f!.text }, { id: 'f2', text: `${f!.text} more` }, null as never, { id: 'g', text: g!.text }]))
      .rejects.toThrow(/addMany: each document must be an \{ id, text \} object, got null/);
    expect([await d.has('f'), await d.has('f2'), await d.has('g')]).toEqual([true, false, false]);
    expect((await d.check(`${f!.text} more`)).duplicateOf).toBe('f');
    await expect(d.addMany(5 as never)).rejects.toThrow(/addMany: docs must be an iterable or async iterable of \{ id, text \} objects, got 5/);
  });

  it('addMany reads ahead while a call runs: a source that throws, or a call that fails meanwhile, rejects addMany once (no stray rejection)', async () => {
    const docs = plantedCorpus(48, 200, 0, 40);
    // The source throws after 150 documents: the rounds before settle, then addMany rejects with its error.
    const d = await RedisNearDuplicateDetector.open(ioredis, { prefix: fresh('ahead') });
    function* throwing(): Generator<{ id: string; text: string }> {
      for (let i = 0; i < 150; i++) yield docs[i]!;
      throw new Error('source broke');
    }
    await expect(d.addMany(throwing(), { batchSize: 32 })).rejects.toThrow('source broke');
    expect(await d.has(docs[0]!.id)).toBe(true);
    expect(await d.has(docs[149]!.id)).toBe(false);
    // The second script call fails while addMany waits on a slow async source for the next documents: the
    // rejection is held until addMany awaits the call (an unhandled one would fail this test run).
    let scripts = 0;
    const failing: RedisClientLike = {
      call: async (args) => {
        if (args[0] === 'EVALSHA' && ++scripts === 3) throw new Error('ERR the server said no');
        return ioredis.callBuffer(String(args[0]), ...args.slice(1).map((a) => (typeof a === 'string' ? a : Buffer.from(a))));
      },
    };
    const e = await RedisNearDuplicateDetector.open(failing, { prefix: fresh('ahead') });
    async function* slow(): AsyncGenerator<{ id: string; text: string }> {
      for (const doc of docs) {
        await new Promise((r) => setTimeout(r, 1));
        yield doc;
      }
    }
    await expect(e.addMany(slow(), { batchSize: 16 })).rejects.toThrow('ERR the server said no');
    await new Promise((r) => setTimeout(r, 50)); // any stray rejection would surface here
  });

  it('addMany: an id refused before the source throws rejects with the RangeError, once the document waiting before it is settled (read-ahead found review)', async () => {
    let scripts = 0;
    const counting: RedisClientLike = {
      call: async (args) => {
        if (args[0] === 'EVALSHA') scripts++;
        return ioredis.callBuffer(String(args[0]), ...args.slice(1).map((a) => (typeof a === 'string' ? a : Buffer.from(a))));
      },
    };
    const d = await RedisNearDuplicateDetector.open(counting, { prefix: fresh('refused-then-throw') });
    const word = (i: number, salt: string): string => salt + Array.from(String(i), (c) => String.fromCharCode(97 + Number(c))).join('') + 'q';
    const words = Array.from({ length: 60 }, (_, i) => word(i, 'w'));
    await d.add('stored', words.join(' '));
    // A copy that shares a band with 'stored' (it gets candidates: a second script call) but fails verification.
    let near = '';
    for (let keep = 30; keep < 60 && near === ''; keep++) {
      const text = words.map((w, i) => (i >= keep ? word(i, 'o') : w)).join(' ');
      scripts = 0;
      if ((await d.check(text)).duplicateOf === undefined && scripts >= 2) near = text;
    }
    expect(near).not.toBe('');
    function* source(): Generator<{ id: string; text: string }> {
      yield { id: 'pre', text: near };
      yield { id: 'stored', text: 'another text entirely, under an id already in the index' };
      throw new Error('source broke');
    }
    await expect(d.addMany(source(), { batchSize: 2 })).rejects.toThrow(/id must be an id not already in the index, got "stored"/);
    expect(await d.has('pre')).toBe(true);
  });

  it('tight maxCandidates / maxVerifications: the same first-verified verdicts as in memory (ranking, truncation, bounds)', async () => {
    // Large families whose members mostly sit near the threshold: many kept members per family, so a query's
    // candidates outnumber the bounds and the rank order decides which verified match is reported.
    const docs = plantedCorpus(21, 3, 48, 150);
    const rand = rng(9);
    const ops: Op[] = [];
    for (const d of docs) {
      ops.push({ op: 'add', id: d.id, text: d.text });
      if (rand() < 0.1) ops.push({ op: 'check', text: docs[Math.floor(rand() * docs.length)]!.text.toLowerCase() });
    }
    const variants: DedupeOptions[] = [
      { threshold: 0.75, maxCandidates: 26, maxVerifications: 1 },
      { threshold: 0.6, maxCandidates: 13 },
      { threshold: 0.6, maxCandidates: 60, maxVerifications: 2 },
      { threshold: 0.7, verify: false, maxCandidates: 40, maxVerifications: 2 },
    ];
    for (const options of variants) {
      for (const pipelined of [false, true]) {
        const r = await both(nodeRedis, options, ops, pipelined);
        expect(r.actual, JSON.stringify({ ...options, pipelined })).toEqual(r.expected);
        expect(r.remoteSize).toBe(r.localSize);
        // The bounds did bind (else this would test nothing the default-bound tests do not).
        expect(options.maxVerifications === undefined ? r.local.truncatedQueries : r.local.skipped, JSON.stringify(options)).toBeGreaterThan(0);
        expect(r.expected.filter((x) => (x as DetectResult).duplicateOf !== undefined && !(x as DetectResult).exact).length).toBeGreaterThan(20);
      }
    }
  });

  it('a bucket shared by a whole family: the script reads at most ⌈maxCandidates / bands⌉ entries per band, newest first, as in memory', async () => {
    // 160 one-word variants of one text of 68 random words, so that each band bucket is shared by many kept
    // documents (the variants are below threshold 0.9 of each other), then a copy of every 5th with its last word
    // changed (≈ 0.97: a near-duplicate that only verification finds). With maxCandidates 13 (1 entry per band) the
    // in-memory detector reads only the newest document of each of the query's buckets.
    const rand = rng(61);
    const word = (): string => Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(rand() * 26))).join('');
    const base = Array.from({ length: 68 }, word);
    const ops: Op[] = [];
    const texts: string[] = [];
    for (let i = 0; i < 160; i++) {
      const words = [...base];
      words[10 + Math.floor(rand() * 50)] = word();
      texts.push(words.join(' '));
      ops.push({ op: 'add', id: `v${i}`, text: texts[i]! });
    }
    for (let i = 0; i < 160; i += 5) ops.push({ op: 'add', id: `v${i}-near`, text: texts[i]!.replace(/\S+$/, word()) });
    // A client that counts the candidate records each document's reply carries.
    let most = 0;
    let sent = 0;
    const counting: RedisClientLike = {
      call: async (args) => {
        const reply = await ioredis.callBuffer(String(args[0]), ...args.slice(1).map((a) => (typeof a === 'string' ? a : Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
        if (args[0] === 'EVALSHA' && Array.isArray(reply)) {
          for (const r of reply as unknown[]) {
            if (Array.isArray(r) && r[0] === 2) {
              most = Math.max(most, (r.length - 1) / 3);
              sent += (r.length - 1) / 3;
            }
          }
        }
        return reply;
      },
    };
    for (const pipelined of [false, true]) {
      most = 0;
      sent = 0;
      const r = await both(counting, { threshold: 0.9, maxCandidates: 13 }, ops, pipelined);
      expect(r.actual, `pipelined: ${pipelined}`).toEqual(r.expected);
      expect(r.remoteSize).toBe(r.localSize);
      expect(r.local.truncatedQueries).toBeGreaterThan(100); // the cap did bind
      expect(most).toBeGreaterThan(0);
      expect(most).toBeLessThanOrEqual(13); // 13 bands × 1 entry
      const found = r.expected.filter((x) => (x as DetectResult).duplicateOf !== undefined).length;
      expect(found).toBeGreaterThan(5);
      expect(sent).toBeGreaterThan(0);
    }
    // The same across segments: a documents window cut into segments of 4 kept documents (40 here) that nothing
    // leaves yet, so the newest entries of a bucket are spread over many segments (read newest segment first).
    most = 0;
    const local = new NearDuplicateDetector({ threshold: 0.9, maxCandidates: 13 });
    const windowed = await RedisNearDuplicateDetector.open(counting, { prefix: fresh('cap-window'), threshold: 0.9, maxCandidates: 13, window: { documents: 4096, segments: 1024 } });
    const adds = ops as { id: DocId; text: string }[];
    const expected = adds.map((o) => local.add(o.id, o.text));
    expect(await windowed.addMany(adds.slice(0, 100), { batchSize: 16 })).toEqual(expected.slice(0, 100));
    for (let i = 100; i < adds.length; i++) expect(await windowed.add(adds[i]!.id, adds[i]!.text)).toEqual(expected[i]);
    expect(((await ioredis.call('ZCARD', `{${windowed.prefix}}:segs`)) as number)).toBeGreaterThanOrEqual(40);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(13);
  });

  it('add(id, text) whose decided match is removed by another writer before the final step decides again without it', async () => {
    const words = plantedCorpus(31, 1, 0, 150)[0]!.text.split(' ');
    const other = plantedCorpus(32, 1, 0, 150)[0]!.text.split(' ');
    // a and b each replace 30 words of the base (at the start, at the end): both kept at 0.55, both match the base.
    const a = [...other.slice(0, 30), ...words.slice(30)].join(' ');
    const b = [...words.slice(0, 120), ...other.slice(120)].join(' ');
    const q = words.join(' ');
    const options: DedupeOptions = { threshold: 0.55 };
    const first = new NearDuplicateDetector(options);
    first.add('a', a);
    first.add('b', b);
    const decided = first.check(q).duplicateOf!;
    const expected = new NearDuplicateDetector(options);
    expected.add('a', a);
    expected.add('b', b);
    expected.remove(decided);
    const answer = expected.add('q', q);
    expect(answer.duplicateOf).toBe(decided === 'a' ? 'b' : 'a');

    const prefix = fresh('race');
    const writer = await RedisNearDuplicateDetector.open(ioredis, { prefix, ...options });
    let armed = false;
    let fired = 0;
    // The same server through a client that lets the other writer remove the match between the two script calls.
    const racing = {
      callBuffer: async (command: string, ...args: unknown[]) => {
        const reply = await ioredis.callBuffer(command, ...(args as string[]));
        // A call's reply holds one reply per document: [[2, …candidates]] for one add with candidates to verify.
        if (armed && command === 'EVALSHA' && String(args[Number(args[1]) + 2]) === 'add' && Array.isArray(reply) && (reply[0] as unknown[])[0] === 2) {
          armed = false;
          fired++;
          expect(await writer.remove(decided)).toBe(true);
        }
        return reply;
      },
    };
    const remote = await RedisNearDuplicateDetector.open(racing, { prefix, ...options });
    expect(await remote.add('a', a)).toEqual({});
    expect(await remote.add('b', b)).toEqual({});
    armed = true;
    expect(await remote.add('q', q)).toEqual(answer);
    expect(fired).toBe(1);
    expect(await remote.size()).toBe(expected.size);
  });

  it('addJsonl(lines) adds records in order and names the bad line', async () => {
    const d = await RedisNearDuplicateDetector.open(nodeRedis, { prefix: fresh('jsonl') });
    const docs = plantedCorpus(4, 10, 2, 60);
    async function* lines() {
      for (const x of docs) yield JSON.stringify({ key: x.id, body: x.text }) + '\n';
    }
    const local = new NearDuplicateDetector();
    expect(await d.addJsonl(lines(), { idField: 'key', textField: 'body', batchSize: 4 })).toEqual(docs.map((x) => local.add(x.id, x.text)));
    await expect(d.addJsonl(['{"id":"z","text":"fine"}', '{oops'])).rejects.toThrow(/line 2 is not valid JSON/);
    await expect(d.addJsonl(['{"id":"y"}'])).rejects.toThrow(/line 1 needs a string or number "id" and a string "text"/);
  });

  it("the seed article's paragraph variants get the same verdicts (Jaccard and edit-ratio verification)", async () => {
    const ops = seedVariants();
    for (const options of [{ threshold: 0.6 }, { threshold: 0.8, editRatioMaxLength: 300 }, { method: 'exact' as const }]) {
      for (const pipelined of [false, true]) {
        const r = await both(nodeRedis, options, ops, pipelined);
        expect(r.actual, JSON.stringify({ ...options, pipelined })).toEqual(r.expected);
      }
    }
  });

  it('random operation sequences (fast-check, numeric and string ids) match the in-memory detector', async () => {
    const vocab = ['river', 'bank', 'fox', 'dog', 'lazy', 'quick', 'brown', 'jumps', 'over', 'the', 'near', 'today'];
    const text = fc.array(fc.constantFrom(...vocab), { minLength: 0, maxLength: 14 }).map((w) => w.join(' '));
    const id = fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constantFrom('a', 'b', 'c', ''));
    const op: fc.Arbitrary<Op> = fc.oneof(
      { arbitrary: fc.record({ op: fc.constant('add' as const), id, text }), weight: 5 },
      { arbitrary: fc.record({ op: fc.constant('remove' as const), id }), weight: 1 },
      { arbitrary: fc.record({ op: fc.constant('check' as const), text }), weight: 1 },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), fc.constantFrom(0.3, 0.5, 0.8), async (ops, threshold) => {
        // Ids repeat on purpose: both sides must throw on the same adds.
        const local = new NearDuplicateDetector({ threshold, shingle: { size: 2 } });
        const remote = await RedisNearDuplicateDetector.open(nodeRedis, { prefix: fresh('prop'), threshold, shingle: { size: 2 } });
        for (const o of ops) {
          let expected: unknown;
          let actual: unknown;
          try {
            expected = o.op === 'add' ? local.add(o.id, o.text) : o.op === 'remove' ? local.remove(o.id) : local.check(o.text);
          } catch (e) {
            expected = (e as Error).constructor.name;
          }
          try {
            actual = o.op === 'add' ? await remote.add(o.id, o.text) : o.op === 'remove' ? await remote.remove(o.id) : await remote.check(o.text);
          } catch (e) {
            actual = (e as Error).constructor.name;
          }
          expect(actual).toEqual(expected);
        }
        expect(await remote.size()).toBe(local.size);
      }),
      { seed: 20261207, numRuns: 40 },
    );
  });

  it('open refuses an index made with other options, naming each difference', async () => {
    const prefix = fresh('opts');
    await RedisNearDuplicateDetector.open(nodeRedis, { prefix, threshold: 0.8, numPerm: 128 });
    await expect(RedisNearDuplicateDetector.open(ioredis, { prefix, threshold: 0.8, numPerm: 128 })).resolves.toBeDefined();
    await expect(RedisNearDuplicateDetector.open(nodeRedis, { prefix, threshold: 0.8, numPerm: 64 })).rejects.toThrow(
      /exists with other options: numPerm \(stored 128, given 64\); bands \(stored 13, given \d+\); rows \(stored 7, given \d+\)/,
    );
    await expect(RedisNearDuplicateDetector.open(nodeRedis, { prefix, shingle: { unit: 'char', size: 5 } })).rejects.toThrow(/shingle \(stored/);
    await expect(RedisNearDuplicateDetector.open(nodeRedis, { prefix, seed: 2 })).rejects.toThrow(/seed \(stored 1, given 2\)/);
    await expect(RedisNearDuplicateDetector.open(nodeRedis, { prefix, window: { documents: 1000 } })).rejects.toThrow(/window \(stored/);
  });

  it('open rejects bad arguments with TypeError/RangeError naming them', async () => {
    await expect(RedisNearDuplicateDetector.open({} as RedisClientLike, { prefix: 'x' })).rejects.toThrow(/client must be a node-redis client/);
    await expect(RedisNearDuplicateDetector.open(nodeRedis, { prefix: '' })).rejects.toThrow(TypeError);
    await expect(RedisNearDuplicateDetector.open(nodeRedis, { prefix: 'x', method: 'simhash' })).rejects.toThrow(/method must be 'minhash' or 'exact'/);
    await expect(RedisNearDuplicateDetector.open(nodeRedis, { prefix: 'x', buckets: 3 })).rejects.toThrow(/buckets must be a power of two.*got 3/);
    await expect(RedisNearDuplicateDetector.open(nodeRedis, { prefix: 'x', threshold: 2 })).rejects.toThrow(RangeError);
    await expect(RedisNearDuplicateDetector.open(nodeRedis, { prefix: 'x', window: { documents: 0 } })).rejects.toThrow(/window.documents/);
    await expect(RedisNearDuplicateDetector.open(nodeRedis, { prefix: 'x', timeoutMs: 0 })).rejects.toThrow(/options.timeoutMs must be an integer/);
    await expect(RedisNearDuplicateDetector.open(nodeRedis, { prefix: 'x', treshold: 0.5 } as never)).rejects.toThrow(/unknown option "treshold" \(did you mean "threshold"\?\)/);
    await expect(RedisNearDuplicateDetector.open(nodeRedis, { prefix: 'x', window: { documents: 10, segmnets: 2 } } as never)).rejects.toThrow(/unknown option "window.segmnets"/);
    const d = await RedisNearDuplicateDetector.open(nodeRedis, { prefix: fresh('bad') });
    await expect(d.add(Number.NaN, 'x')).rejects.toThrow(/RedisNearDuplicateDetector.add: id must be a string or a finite number, got NaN/);
    await expect(d.add('a', 5 as unknown as string)).rejects.toThrow(/text/);
  });

  it('remove(id) leaves no entry behind: keys and memory return to where they were', async () => {
    const prefix = fresh('remove');
    const d = await RedisNearDuplicateDetector.open(nodeRedis, { prefix });
    const before = await footprint(prefix);
    const docs = plantedCorpus(7, 50, 2, 100);
    const results = await d.addMany(docs);
    const kept = docs.filter((_, i) => results[i]!.duplicateOf === undefined);
    expect(results.some((r) => r.exact === false)).toBe(true); // echoes were recorded
    const full = await footprint(prefix);
    expect(full.keys).toBeGreaterThan(before.keys + 10);
    await consistent(prefix, 13);
    for (const k of kept.slice(0, 10)) expect(await d.remove(k.id)).toBe(true);
    await consistent(prefix, 13);
    for (const k of kept.slice(10)) expect(await d.remove(k.id)).toBe(true);
    expect(await d.size()).toBe(0);
    expect(await footprint(prefix)).toEqual(before);
    // Besides, only receipts of the calls just made, each expiring within RECEIPT_MS (120 s at the default timeoutMs).
    const receipts = (await ioredis.keys(`{${prefix}}:n*`));
    expect(receipts.every((k) => RECEIPT.test(k))).toBe(true);
    for (const k of receipts) expect(Number(await ioredis.pttl(k))).toBeGreaterThan(0);
    for (const k of receipts) expect(Number(await ioredis.pttl(k))).toBeLessThanOrEqual(120_000);
    // Nothing stale: the same texts are new again.
    expect((await d.addMany(docs)).map((r) => r.duplicateOf === undefined)).toEqual(results.map((r) => r.duplicateOf === undefined));
  });

  it('a documents window drops whole segments: size stays in [N, N·(1 + 1/segments)] and memory falls back', async () => {
    const prefix = fresh('window');
    const d = await RedisNearDuplicateDetector.open(nodeRedis, { prefix, window: { documents: 200, segments: 4 } });
    const docs = plantedCorpus(21, 1200, 0, 60); // distinct documents
    await d.addMany(docs.slice(0, 250));
    const oneWindow = await footprint(prefix);
    await d.addMany(docs.slice(250));
    const size = await d.size();
    expect(size).toBeGreaterThanOrEqual(200);
    expect(size).toBeLessThanOrEqual(250);
    expect(await d.has(docs[0]!.id)).toBe(false);
    expect(await d.has(docs[docs.length - 1]!.id)).toBe(true);
    // Four windows' worth went through; what is left is one window's worth (segments are dropped whole).
    const after = await footprint(prefix);
    expect(after.bytes).toBeLessThan(oneWindow.bytes * 1.25);
    const segments = new Set((await ioredis.keys(`{${prefix}}:s[0-9]*`)).map((k) => k.split(':')[1]));
    expect(segments.size).toBeLessThanOrEqual(5);
    // An expired document no longer matches; a recent one does.
    expect(await d.check(docs[0]!.text)).toEqual({});
    expect((await d.check(docs[docs.length - 1]!.text)).duplicateOf).toBe(docs[docs.length - 1]!.id);
    await consistent(prefix, 13);
  });

  it('a milliseconds window forgets documents older than the window (server clock)', async () => {
    const prefix = fresh('time');
    const d = await RedisNearDuplicateDetector.open(ioredis, { prefix, window: { milliseconds: 300, segments: 2 } });
    const docs = plantedCorpus(2, 20, 0, 30);
    await d.addMany(docs.slice(0, 10));
    expect(await d.size()).toBe(10);
    await new Promise((r) => setTimeout(r, 800));
    expect(await d.add(docs[10]!.id, docs[10]!.text)).toEqual({});
    expect(await d.size()).toBe(1);
    expect(await d.add('again', docs[0]!.text)).toEqual({});
    expect(await d.size()).toBe(2);
    // Only segments inside the window have keys (the current one and at most `segments` before it).
    const segments = new Set((await ioredis.keys(`{${prefix}}:s[0-9]*`)).map((k) => Number(k.split(':')[1]!.slice(1))));
    expect(segments.size).toBeLessThanOrEqual(3);
    expect(Math.max(...segments) - Math.min(...segments)).toBeLessThanOrEqual(2);
  });

  it('importSnapshot(toBytes()) and toDetector() carry documents and echoes both ways', async () => {
    const docs = plantedCorpus(9, 40, 3, 80);
    const local = new NearDuplicateDetector({ threshold: 0.7 });
    const firstHalf = docs.slice(0, 80);
    const expectedFirst = firstHalf.map((d) => local.add(d.id, d.text));
    const remote = await RedisNearDuplicateDetector.open(nodeRedis, { prefix: fresh('import'), threshold: 0.7 });
    expect(await remote.importSnapshot(local.toBytes())).toBe(local.size);
    await expect(remote.importSnapshot(local.toBytes())).rejects.toThrow(/not empty/);
    await expect(remote.importSnapshot(new NearDuplicateDetector({ threshold: 0.9 }).toBytes())).rejects.toThrow(/threshold \(snapshot 0.9, index 0.7\)/);
    // The rest of the corpus gets the same answers on the server, in memory, and from an export of the server.
    const rest = docs.slice(80);
    const copy = NearDuplicateDetector.fromBytes(local.toBytes());
    const back = await remote.toDetector();
    expect(back.size).toBe(local.size);
    const echoes = (d: NearDuplicateDetector) => [...d.echoEntries()].map((e) => [e.keyHi, e.keyLo, e.match.similarity]).sort();
    expect(echoes(local).length).toBeGreaterThan(3);
    expect(echoes(back)).toEqual(echoes(local));
    expect(echoes(await (await RedisNearDuplicateDetector.open(ioredis, { prefix: remote.prefix, threshold: 0.7 })).toDetector())).toEqual(echoes(local));
    const expectedRest = rest.map((d) => local.add(d.id, d.text));
    expect(expectedRest.some((r) => r.duplicateOf !== undefined && !r.exact)).toBe(true);
    expect(await remote.addMany(rest)).toEqual(expectedRest);
    expect(rest.map((d) => back.add(d.id, d.text))).toEqual(rest.map((d) => copy.add(d.id, d.text)));
    expect(expectedFirst.length).toBe(80);
  });

  it('concurrent writer processes keep each near-duplicate family exactly once', async () => {
    const prefix = fresh('writers');
    await RedisNearDuplicateDetector.open(nodeRedis, { prefix });
    const all = families(77, 60, 4, 300);
    // Writer w adds copy w of every family, in its own shuffled order: copies of one family race each other.
    const jobs = [0, 1, 2, 3].map((w) => {
      const rand = rng(100 + w);
      const mine = all.filter((d) => Number(d.id.split('c')[1]) === w);
      for (let i = mine.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [mine[i], mine[j]] = [mine[j]!, mine[i]!];
      }
      return mine;
    });
    const runs = jobs.map((docs, w) => writer({ port: server.port, prefix, client: w % 2 ? 'ioredis' : 'node-redis', batchSize: 8, docs }));
    const outs = await Promise.all(runs.map((r) => r.done));
    const kept = new Map<number, string[]>();
    outs.forEach((o, w) => {
      expect(o.code, o.out).toBe(0);
      resultsOf(o.out).forEach((r, i) => {
        const doc = jobs[w]![i]!;
        if (r.duplicateOf === undefined) kept.set(doc.family, [...(kept.get(doc.family) ?? []), doc.id]);
        else expect(String(r.duplicateOf).split('c')[0]).toBe(`f${doc.family}`);
      });
    });
    expect([...kept.values()].map((ids) => ids.length)).toEqual(Array(60).fill(1));
    const d = await RedisNearDuplicateDetector.open(ioredis, { prefix });
    expect(await d.size()).toBe(60);
    await consistent(prefix, 13);
  });

  it('a writer killed (SIGKILL) mid-batch leaves a consistent index that other writers complete', async () => {
    const prefix = fresh('killed');
    const d = await RedisNearDuplicateDetector.open(nodeRedis, { prefix });
    const all = families(78, 300, 2, 200);
    const run = writer({ port: server.port, prefix, client: 'node-redis', batchSize: 16, docs: all });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        void d.size().then((n) => {
          if (n >= 40) {
            clearInterval(poll);
            resolve();
          }
        });
      }, 5);
    });
    run.child.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.signal).toBe('SIGKILL');
    await consistent(prefix, 13);
    // Every stored document is whole: its own text finds it.
    for (const doc of all) {
      if (await d.has(doc.id)) expect(await d.check(doc.text)).toEqual({ duplicateOf: doc.id, similarity: 1, exact: true });
    }
    // A second writer adds everything again.
    const second = writer({ port: server.port, prefix, client: 'ioredis', batchSize: 16, docs: all.map((x) => ({ ...x, id: `again-${x.id}` })) });
    const out = await second.done;
    expect(out.code, out.out).toBe(0);
    expect(await d.size()).toBe(300);
    await consistent(prefix, 13);
  });

  it('lost connection: calls reject within timeoutMs, never hang (both clients)', async () => {
    const lost = await startRedis();
    const nr = createClient({ url: lost.url, socket: { reconnectStrategy: 50 } });
    nr.on('error', () => {});
    await nr.connect();
    const io = new Redis(lost.port, '127.0.0.1', { retryStrategy: () => 50 });
    io.on('error', () => {});
    const a = await RedisNearDuplicateDetector.open(nr, { prefix: 'lost', timeoutMs: 300 });
    const b = await RedisNearDuplicateDetector.open(io, { prefix: 'lost', timeoutMs: 300 });
    await a.add(1, 'a text stored before the server goes away');
    lost.process.kill('SIGSTOP'); // a server that stops answering
    await expect(a.add(2, 'another text')).rejects.toThrow(/no reply from Redis to EVALSHA within 300 ms \(timeoutMs\)/);
    await expect(b.size()).rejects.toThrow(/within 300 ms/);
    lost.process.kill('SIGCONT');
    await lost.stop(); // a server that is gone
    await expect(a.has(1)).rejects.toThrow(/within 300 ms|closed|ECONNREFUSED|connection/i);
    await expect(b.check('a text stored before the server goes away')).rejects.toThrow(/within 300 ms|connection|ECONNREFUSED/i);
    await nr.disconnect().catch(() => {});
    io.disconnect();
  });

  it('every script call run twice, the first reply lost: the verdicts of the in-memory detector, ids refused only when really repeated', async () => {
    // A client that sends each script call, drops the reply, and sends the same command again: what a re-send after
    // a lost reply does, deterministically, on every call (adds with candidates, waits inside addMany, removes).
    let twice = 0;
    const send = (args: readonly (string | Uint8Array)[]) =>
      ioredis.callBuffer(String(args[0]), ...args.slice(1).map((a) => (typeof a === 'string' ? a : Buffer.from(a))));
    const repeating: RedisClientLike = {
      call: async (args) => {
        if (args[0] === 'EVALSHA') {
          await send(args);
          twice++;
        }
        return send(args);
      },
    };
    const ops = mixedOps(plantedCorpus(43, 50, 4, 100), rng(7));
    for (const pipelined of [false, true]) {
      const r = await both(repeating, {}, ops, pipelined);
      expect(r.actual, `pipelined: ${pipelined}`).toEqual(r.expected);
      expect(r.remoteSize).toBe(r.localSize);
      await consistent(r.remote.prefix, 13);
    }
    expect(twice).toBeGreaterThan(ops.length);
    // Repeated ids (seeded): a real second add of an id is still refused, as in memory; a re-sent call is not.
    const vocab = ['river', 'bank', 'fox', 'dog', 'lazy', 'quick', 'brown', 'jumps', 'over', 'the', 'near', 'today'];
    const text = fc.array(fc.constantFrom(...vocab), { minLength: 0, maxLength: 14 }).map((w) => w.join(' '));
    const id = fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom('a', 'b'));
    const op: fc.Arbitrary<Op> = fc.oneof(
      { arbitrary: fc.record({ op: fc.constant('add' as const), id, text }), weight: 5 },
      { arbitrary: fc.record({ op: fc.constant('remove' as const), id }), weight: 1 },
      { arbitrary: fc.record({ op: fc.constant('check' as const), text }), weight: 1 },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        const options = { threshold: 0.5, shingle: { size: 2 } };
        const local = new NearDuplicateDetector(options);
        const remote = await RedisNearDuplicateDetector.open(repeating, { prefix: fresh('twice-prop'), ...options });
        for (const o of ops) {
          const outcome = async (f: () => unknown): Promise<unknown> => {
            try {
              return await f();
            } catch (e) {
              return (e as Error).constructor.name;
            }
          };
          const expected = await outcome(() => (o.op === 'add' ? local.add(o.id, o.text) : o.op === 'remove' ? local.remove(o.id) : local.check(o.text)));
          const actual = await outcome(() => (o.op === 'add' ? remote.add(o.id, o.text) : o.op === 'remove' ? remote.remove(o.id) : remote.check(o.text)));
          expect(actual).toEqual(expected);
        }
        expect(await remote.size()).toBe(local.size);
      }),
      { seed: 1313, numRuns: 40 },
    );
  });

  for (const name of ['ioredis', 'node-redis'] as const) {
    it(`a script call whose reply is lost with the connection is sent again and answers as it ran (${name})`, async () => {
      // Every third script call runs on the server and loses its reply: ioredis re-sends it once reconnected, the
      // detector re-sends it on node-redis (which rejects it); the receipt answers with the verdicts of the run.
      const proxy = await lossyProxy(server.port, (n) => n > 2 && n % 3 === 0);
      const client = name === 'ioredis'
        ? new Redis(proxy.port, '127.0.0.1', { retryStrategy: () => 10 })
        : createClient({ url: `redis://127.0.0.1:${proxy.port}`, socket: { reconnectStrategy: 10 } });
      client.on('error', () => {});
      if (!(client instanceof Redis)) await client.connect();
      try {
        const prefix = fresh(`lost-reply-${name}`);
        const options: DedupeOptions = {};
        const d = await RedisNearDuplicateDetector.open(client, { prefix, ...options, timeoutMs: 10_000 });
        const docs = plantedCorpus(41, 120, 3, 120);
        const local = new NearDuplicateDetector(options);
        const expected = docs.map((x) => local.add(x.id, x.text));
        expect(await d.addMany(docs, { batchSize: 16 })).toEqual(expected);
        const before = proxy.dropped();
        expect(before).toBeGreaterThan(2);
        // Single adds and removes too: a lost reply to a remove that ran still answers true.
        const more = plantedCorpus(42, 6, 0, 80).map((x) => ({ ...x, id: `more-${x.id}` }));
        for (const x of more) expect(await d.add(x.id, x.text)).toEqual(local.add(x.id, x.text));
        for (const x of more) expect(await d.remove(x.id)).toBe(local.remove(x.id));
        expect(proxy.dropped()).toBeGreaterThan(before);
        // Each kept document once, every entry whole.
        expect(await d.size()).toBe(local.size);
        await consistent(prefix, 13);
        for (const x of docs) expect(await d.has(x.id)).toBe(local.has(x.id));
      } finally {
        if (client instanceof Redis) client.disconnect();
        else await client.disconnect().catch(() => {});
        proxy.close();
      }
    });
  }

  it('a reply lost again and again rejects after timeoutMs naming the ambiguous state (node-redis)', async () => {
    let losing = false;
    const proxy = await lossyProxy(server.port, () => losing);
    const client = createClient({ url: `redis://127.0.0.1:${proxy.port}`, socket: { reconnectStrategy: 10 } });
    client.on('error', () => {});
    await client.connect();
    try {
      const prefix = fresh('lost-always');
      const d = await RedisNearDuplicateDetector.open(client, { prefix, timeoutMs: 400 });
      losing = true;
      await expect(d.add(1, 'a document whose every reply is lost')).rejects.toThrow(
        /connection was lost before the reply to a script call \(add\).*within 400 ms \(timeoutMs\): the call may or may not have run/,
      );
      losing = false;
      // It ran (every attempt did; the receipt made the later ones change nothing): stored once.
      expect(await d.has(1)).toBe(true);
      expect(await d.size()).toBe(1);
      await consistent(prefix, 13);
    } finally {
      await client.disconnect().catch(() => {});
      proxy.close();
    }
  });

  it('the README example "One index for many processes" runs as written', async () => {
    const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
    const section = readme.slice(readme.indexOf('## One index for many processes'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)![1]!.replace("from 'neardup'", "from './src/index'");
    const file = `${ROOT}readme-example-${process.pid}.tmp.ts`;
    writeFileSync(file, code);
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, env: { ...process.env, REDIS_URL: server.url } });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code, out).toBe(0);
      expect(out).toBe("{} t-1\n{ duplicateOf: 't-3', similarity: 1, exact: true } 2\n");
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('survives SCRIPT FLUSH (reloads on NOSCRIPT) and refuses to work on a deleted index', async () => {
    const prefix = fresh('flush');
    const d = await RedisNearDuplicateDetector.open(nodeRedis, { prefix });
    await d.add(1, 'a document stored before the script cache is flushed');
    await nodeRedis.sendCommand(['SCRIPT', 'FLUSH']);
    expect((await d.add(2, 'a document stored before the script cache is flushed!')).duplicateOf).toBe(1);
    await nodeRedis.sendCommand(['DEL', `{${prefix}}:meta`]);
    await expect(d.size()).rejects.toThrow(/the index was deleted/);
  });
});
