/**
 * The options-and-errors contract, walked over every export of src/index.ts. Every runtime export needs a row
 * here (a new export without one fails the first test). A row says what the export is:
 * - `constant`: a frozen defaults object or a constant; nothing to call.
 * - `arguments`: a function or class without an options object; `bad` calls with a wrong type and an
 *   out-of-range value show the same message format.
 * - `async`: an entry point whose promise rejects (never throws) with the errors of the contract; `bad` calls
 *   are awaited.
 * - `options`: an entry point that takes options; a misspelled key must be a TypeError naming the closest
 *   key, a wrong type a TypeError, an out-of-range value a RangeError, all in the one format. `nested` rows
 *   do the same one level down (`shingle`, `near`, `c4`, …).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index';
import { closestKey, keyDistance } from '../src/internal/validate';

type Err = typeof TypeError | typeof RangeError;
/** A call expected to throw `error`; `fn` is the function named at the start of its message. */
interface BadCall {
  what: string;
  call: () => unknown;
  error: Err;
}
interface OptionsRow {
  kind: 'options';
  fn: string;
  call: (options: Record<string, unknown>) => unknown;
  misspelled: [key: string, value: unknown, suggestion: string];
  wrongType: [key: string, value: unknown];
  /** `null` when no value of the right type is out of range (every option a boolean). */
  outOfRange: [key: string, value: unknown] | null;
  /** Options objects one level down: the path below `options`, and its own misspelling. */
  nested?: { path: string; misspelled: [key: string, value: unknown, suggestion: string]; wrongType?: [string, unknown]; outOfRange?: [string, unknown] }[];
  /** Extra calls (methods, positional arguments, state errors) in the same format. */
  bad?: BadCall[];
}
interface ArgumentsRow {
  kind: 'arguments';
  fn: string;
  bad: BadCall[];
}
interface AsyncRow {
  kind: 'async';
  fn: string;
  bad: { what: string; call: () => Promise<unknown>; error: Err }[];
}
type Row = { kind: 'constant' } | ArgumentsRow | OptionsRow | AsyncRow;

/** `<function>: <path> must be <allowed>, got <value>`. */
const MUST_BE = /^[A-Za-z][\w.]*: [\w.[\]]+ must be .+, got .+$/s;
/** `<function>: unknown option "<path>" (did you mean "<path>"?)` or `(allowed: …)`. */
const UNKNOWN = /^[A-Za-z][\w.]*: unknown option "[\w.]+" \((did you mean "[\w.]+"\?|allowed: .+)\)$/;
/** Ranges are written as a person writes them: no interval brackets, no denormal floats. */
const MACHINE_RANGE = /\bin [[(]-?\d|5e-324|Number\.MIN_VALUE/;

const sig = (values: number[], seed = 1): api.MinHashSignature => ({ values: Uint32Array.from(values), numPerm: values.length, seed, scheme: 'fast' });
const set = Uint32Array.of(1, 2, 3);
const noServer = { call: (): Promise<unknown> => new Promise(() => {}) };

const ROWS: Record<string, Row> = {
  // Hashing
  xxh32: { kind: 'arguments', fn: 'xxh32', bad: [
    { what: 'input', call: () => api.xxh32(3 as never), error: TypeError },
    { what: 'seed', call: () => api.xxh32('a', '1' as never), error: TypeError },
    { what: 'seed', call: () => api.xxh32('a', -1), error: RangeError },
  ] },
  xxh64: { kind: 'arguments', fn: 'xxh64', bad: [
    { what: 'seed', call: () => api.xxh64('a', 1 as never), error: TypeError },
    { what: 'seed', call: () => api.xxh64('a', -1n), error: RangeError },
  ] },
  // Text
  normalize: {
    kind: 'options', fn: 'normalize', call: (o) => api.normalize('x', o),
    misspelled: ['lowercse', true, 'lowercase'], wrongType: ['digits', 1], outOfRange: null,
  },
  NORMALIZE_DEFAULTS: { kind: 'constant' },
  lines: { kind: 'arguments', fn: 'lines', bad: [{ what: 'text', call: () => api.lines(1 as never), error: TypeError }] },
  paragraphs: { kind: 'arguments', fn: 'paragraphs', bad: [{ what: 'text', call: () => api.paragraphs(null as never), error: TypeError }] },
  sentences: {
    kind: 'options', fn: 'sentences', call: (o) => api.sentences('x', o),
    misspelled: ['locle', 'en', 'locale'], wrongType: ['locale', 5], outOfRange: ['locale', 'not a locale!'],
  },
  words: {
    kind: 'options', fn: 'words', call: (o) => api.words('x', o),
    misspelled: ['segmentor', 'fast', 'segmenter'], wrongType: ['segmenter', 1], outOfRange: ['segmenter', 'slow'],
  },
  WORD_DEFAULTS: { kind: 'constant' },
  // Shingles and similarity
  shingles: {
    kind: 'options', fn: 'shingles', call: (o) => api.shingles('a b c', o),
    misspelled: ['sise', 3, 'size'], wrongType: ['size', '3'], outOfRange: ['size', 0],
    nested: [{ path: 'normalize', misspelled: ['digit', false, 'digits'], wrongType: ['digits', 0] }],
  },
  SHINGLE_DEFAULTS: { kind: 'constant' },
  jaccard: { kind: 'arguments', fn: 'jaccard', bad: [
    { what: 'a', call: () => api.jaccard([1] as never, set), error: TypeError },
    { what: 'b', call: () => api.jaccard(set, Uint32Array.of(2, 1)), error: RangeError },
  ] },
  containment: { kind: 'arguments', fn: 'containment', bad: [
    { what: 'a', call: () => api.containment('x' as never, set), error: TypeError },
    { what: 'b', call: () => api.containment(set, Uint32Array.of(1, 1)), error: RangeError },
  ] },
  editRatio: { kind: 'arguments', fn: 'editRatio', bad: [{ what: 'a', call: () => api.editRatio(1 as never, 'a'), error: TypeError }] },
  // MinHash
  MinHasher: {
    kind: 'options', fn: 'MinHasher', call: (o) => new api.MinHasher(o),
    misspelled: ['numPerms', 64, 'numPerm'], wrongType: ['numPerm', '64'], outOfRange: ['numPerm', 0],
    bad: [
      { what: 'signature', call: () => new api.MinHasher().signature([1] as never), error: TypeError },
      { what: 'signatureInto', call: () => new api.MinHasher({ numPerm: 4 }).signatureInto(set, new Uint32Array(3)), error: RangeError },
      { what: 'merge', call: () => new api.MinHasher({ numPerm: 2 }).merge(sig([1, 2]), sig([1, 2], 9)), error: RangeError },
    ],
  },
  MINHASH_DEFAULTS: { kind: 'constant' },
  MINHASH_LIMITS: { kind: 'constant' },
  EMPTY_SLOT: { kind: 'constant' },
  estimateJaccard: { kind: 'arguments', fn: 'estimateJaccard', bad: [
    { what: 'a', call: () => api.estimateJaccard(null as never, sig([1])), error: TypeError },
    { what: 'b', call: () => api.estimateJaccard(sig([1]), sig([1], 2)), error: RangeError },
  ] },
  signatureToBytes: { kind: 'arguments', fn: 'signatureToBytes', bad: [
    { what: 'signature', call: () => api.signatureToBytes({} as never), error: TypeError },
    { what: 'signature.seed', call: () => api.signatureToBytes(sig([1], -1)), error: RangeError },
  ] },
  signatureFromBytes: { kind: 'arguments', fn: 'signatureFromBytes', bad: [] },
  // SimHash
  simhash: {
    kind: 'options', fn: 'simhash', call: (o) => api.simhash(set, o),
    misspelled: ['bit', 32, 'bits'], wrongType: ['bits', '32'], outOfRange: ['bits', 65],
  },
  hamming: { kind: 'arguments', fn: 'hamming', bad: [
    { what: 'a', call: () => api.hamming(1 as never, 1n), error: TypeError },
    { what: 'b', call: () => api.hamming(1n, 2n ** 64n), error: RangeError },
  ] },
  SIMHASH_DEFAULTS: { kind: 'constant' },
  SimHashIndex: {
    kind: 'options', fn: 'SimHashIndex', call: (o) => new api.SimHashIndex(o),
    misspelled: ['maxDistanse', 3, 'maxDistance'], wrongType: ['maxDistance', '3'], outOfRange: ['maxDistance', 64],
    bad: [
      { what: 'insert id', call: () => new api.SimHashIndex().insert(NaN, 1n), error: TypeError },
      { what: 'insert twice', call: () => { const i = new api.SimHashIndex(); i.insert('a', 1n); i.insert('a', 2n); }, error: RangeError },
      { what: 'query', call: () => new api.SimHashIndex().query(-1n), error: RangeError },
    ],
  },
  SIMHASH_INDEX_DEFAULTS: { kind: 'constant' },
  // LSH and Bloom
  LshIndex: {
    kind: 'options', fn: 'LshIndex', call: (o) => new api.LshIndex(o),
    misspelled: ['treshold', 0.5, 'threshold'], wrongType: ['threshold', '0.5'], outOfRange: ['minRecall', 0],
    bad: [
      { what: 'insert id', call: () => new api.LshIndex({ numPerm: 2, bands: 1, rows: 2 }).insert(null as never, sig([1, 2])), error: TypeError },
      { what: 'insert twice', call: () => { const i = new api.LshIndex({ numPerm: 2, bands: 1, rows: 2 }); i.insert('a', sig([1, 2])); i.insert('a', sig([1, 2])); }, error: RangeError },
      { what: 'query numPerm', call: () => new api.LshIndex({ numPerm: 2, bands: 1, rows: 2 }).query(sig([1])), error: RangeError },
      { what: 'collisionProbability', call: () => new api.LshIndex().collisionProbability(2), error: RangeError },
    ],
  },
  LSH_DEFAULTS: { kind: 'constant' },
  optimalLshParams: { kind: 'arguments', fn: 'optimalLshParams', bad: [
    { what: 'threshold', call: () => api.optimalLshParams('0.5' as never, 128), error: TypeError },
    { what: 'numPerm', call: () => api.optimalLshParams(0.5, 0), error: RangeError },
    { what: 'weights', call: () => api.optimalLshParams(0.5, 128, [0.5, 0.6]), error: RangeError },
  ] },
  recallLshParams: { kind: 'arguments', fn: 'recallLshParams', bad: [
    { what: 'minRecall', call: () => api.recallLshParams(0.5, 128, 0), error: RangeError },
    { what: 'unreachable', call: () => api.recallLshParams(0.1, 16, 0.99), error: RangeError },
  ] },
  BloomFilter: {
    kind: 'options', fn: 'BloomFilter', call: (o) => new api.BloomFilter(typeof o === 'object' && !Array.isArray(o) ? { expectedItems: 10, ...o } as api.BloomFilterOptions : o as never),
    misspelled: ['falsePositiveRat', 0.01, 'falsePositiveRate'], wrongType: ['expectedItems', '10'], outOfRange: ['falsePositiveRate', 0],
    bad: [
      { what: 'no options', call: () => new api.BloomFilter(undefined as never), error: TypeError },
      { what: 'add', call: () => new api.BloomFilter({ expectedItems: 1 }).add(1 as never), error: TypeError },
    ],
  },
  BLOOM_FILTER_DEFAULTS: { kind: 'constant' },
  ContainmentIndex: {
    kind: 'options', fn: 'ContainmentIndex', call: (o) => new api.ContainmentIndex(o),
    misspelled: ['sampleRat', 0.5, 'sampleRate'], wrongType: ['threshold', '0.5'], outOfRange: ['sampleRate', 0],
    bad: [
      { what: 'insert id', call: () => new api.ContainmentIndex().insert(null as never, set), error: TypeError },
      { what: 'insert twice', call: () => { const i = new api.ContainmentIndex(); i.insert('a', set); i.insert('a', set); }, error: RangeError },
      { what: 'insert unsorted', call: () => new api.ContainmentIndex().insert('a', Uint32Array.of(2, 1)), error: RangeError },
      { what: 'containing', call: () => new api.ContainmentIndex().containing([1] as never), error: TypeError },
      { what: 'containedIn', call: () => new api.ContainmentIndex().containedIn(Uint32Array.of(1, 1)), error: RangeError },
      { what: 'collisionProbability', call: () => new api.ContainmentIndex().collisionProbability(-1), error: RangeError },
    ],
  },
  CONTAINMENT_INDEX_DEFAULTS: { kind: 'constant' },
  // Documents
  dedupe: {
    kind: 'options', fn: 'dedupe', call: (o) => api.dedupe(['a b c'], o),
    misspelled: ['treshold', 0.5, 'threshold'], wrongType: ['verify', 'yes'], outOfRange: ['threshold', 0],
    nested: [
      { path: 'shingle', misspelled: ['sise', 3, 'size'], wrongType: ['size', '3'], outOfRange: ['size', 0] },
      { path: 'boilerplate', misspelled: ['maxDocFrequence', 0.1, 'maxDocFrequency'], wrongType: ['minDocuments', '3'], outOfRange: ['maxDocFrequency', 2] },
    ],
    bad: [
      { what: 'duplicate id', call: () => api.dedupe([{ id: 1, text: 'a' }, { id: 1, text: 'b' }]), error: RangeError },
      { what: 'bad doc', call: () => api.dedupe([5 as never]), error: TypeError },
      { what: 'maxDistance', call: () => api.dedupe([], { method: 'simhash', maxDistance: 44 }), error: RangeError },
      { what: 'keep', call: () => api.dedupe([], { keep: 'last' as never }), error: RangeError },
      { what: 'measure', call: () => api.dedupe([], { measure: 'dice' as never }), error: RangeError },
      { what: 'measure containment with verify false', call: () => api.dedupe([], { measure: 'containment', verify: false }), error: RangeError },
    ],
  },
  boilerplateShingles: {
    kind: 'options', fn: 'boilerplateShingles', call: (o) => api.boilerplateShingles(['a b c'], o),
    misspelled: ['maxDocFrequence', 0.1, 'maxDocFrequency'], wrongType: ['minDocuments', '3'], outOfRange: ['maxDocFrequency', 0],
    nested: [{ path: 'shingle', misspelled: ['sise', 3, 'size'], wrongType: ['size', '3'], outOfRange: ['size', 0] }],
    bad: [
      { what: 'docs', call: () => api.boilerplateShingles(5 as never), error: TypeError },
      { what: 'doc', call: () => api.boilerplateShingles([5 as never]), error: TypeError },
      { what: 'minDocuments', call: () => api.boilerplateShingles([], { minDocuments: 1 }), error: RangeError },
    ],
  },
  BOILERPLATE_DEFAULTS: { kind: 'constant' },
  NearDuplicateDetector: {
    kind: 'options', fn: 'NearDuplicateDetector', call: (o) => new api.NearDuplicateDetector(o),
    misspelled: ['numPerms', 64, 'numPerm'], wrongType: ['method', 1], outOfRange: ['maxDistance', -1],
    nested: [{ path: 'shingle', misspelled: ['unti', 'char', 'unit'], outOfRange: ['unit', 'token'] }],
    bad: [
      { what: 'add twice', call: () => { const d = new api.NearDuplicateDetector(); d.add(1, 'some words here'); d.add(1, 'other words'); }, error: RangeError },
      { what: 'add id', call: () => new api.NearDuplicateDetector().add(NaN, 'x'), error: TypeError },
      { what: 'check', call: () => new api.NearDuplicateDetector().check(1 as never), error: TypeError },
      { what: 'measure type', call: () => new api.NearDuplicateDetector({ measure: 1 as never }), error: TypeError },
      { what: 'measure containment with simhash', call: () => new api.NearDuplicateDetector({ measure: 'containment', method: 'simhash', maxDistance: 6 }), error: RangeError },
      { what: 'measure containment with editRatioMaxLength', call: () => new api.NearDuplicateDetector({ measure: 'containment', editRatioMaxLength: 20 }), error: RangeError },
      { what: 'bands with measure containment', call: () => new api.NearDuplicateDetector({ measure: 'containment', bands: 16, rows: 8 }), error: RangeError },
      { what: 'bands without rows', call: () => new api.NearDuplicateDetector({ bands: 16 }), error: RangeError },
      { what: 'rows without bands', call: () => new api.NearDuplicateDetector({ rows: 8 }), error: RangeError },
      { what: 'bands × rows > numPerm', call: () => new api.NearDuplicateDetector({ bands: 16, rows: 9 }), error: RangeError },
      { what: 'bands with simhash', call: () => new api.NearDuplicateDetector({ method: 'simhash', bands: 16, rows: 8, threshold: 0.9 }), error: RangeError },
      { what: 'bands not an integer', call: () => new api.NearDuplicateDetector({ bands: '16' as never, rows: 8 }), error: TypeError },
    ],
  },
  bandingOf: {
    kind: 'options', fn: 'bandingOf', call: (o) => api.bandingOf(o),
    misspelled: ['band', 16, 'bands'], wrongType: ['minRecall', '0.9'], outOfRange: ['rows', 0],
    bad: [
      { what: 'simhash', call: () => api.bandingOf({ method: 'simhash', threshold: 0.9 }), error: RangeError },
      { what: 'containment', call: () => api.bandingOf({ measure: 'containment' }), error: RangeError },
    ],
  },
  prepareDocument: {
    kind: 'options', fn: 'prepareDocument', call: (o) => api.prepareDocument('x', o),
    misspelled: ['metod', 'exact', 'method'], wrongType: ['seed', '1'], outOfRange: ['numPerm', 70000],
  },
  DEDUPE_DEFAULTS: { kind: 'constant' },
  // Shared index on Redis: options are checked before any command, so a client that never answers will do.
  RedisNearDuplicateDetector: {
    kind: 'async', fn: 'RedisNearDuplicateDetector.open', bad: [
      { what: 'misspelled', call: () => api.RedisNearDuplicateDetector.open(noServer, { prefix: 'p', treshold: 0.5 } as never), error: TypeError },
      { what: 'nested misspelled', call: () => api.RedisNearDuplicateDetector.open(noServer, { prefix: 'p', window: { documnets: 5 } } as never), error: TypeError },
      { what: 'no options', call: () => api.RedisNearDuplicateDetector.open(noServer, undefined as never), error: TypeError },
      { what: 'prefix', call: () => api.RedisNearDuplicateDetector.open(noServer, { prefix: 5 as never }), error: TypeError },
      { what: 'threshold', call: () => api.RedisNearDuplicateDetector.open(noServer, { prefix: 'p', threshold: 2 }), error: RangeError },
      { what: 'buckets', call: () => api.RedisNearDuplicateDetector.open(noServer, { prefix: 'p', buckets: 3 }), error: RangeError },
      { what: 'window.documents', call: () => api.RedisNearDuplicateDetector.open(noServer, { prefix: 'p', window: { documents: 0 } }), error: RangeError },
      { what: 'timeoutMs', call: () => api.RedisNearDuplicateDetector.open(noServer, { prefix: 'p', timeoutMs: '5' as never }), error: TypeError },
      { what: 'method', call: () => api.RedisNearDuplicateDetector.open(noServer, { prefix: 'p', method: 'simhash' }), error: RangeError },
      { what: 'measure', call: () => api.RedisNearDuplicateDetector.open(noServer, { prefix: 'p', measure: 'containment' }), error: RangeError },
      { what: 'client', call: () => api.RedisNearDuplicateDetector.open({} as never, { prefix: 'p' }), error: TypeError },
    ],
  },
  REDIS_DETECTOR_DEFAULTS: { kind: 'constant' },
  // Paragraphs
  dedupeParagraphs: {
    kind: 'options', fn: 'dedupeParagraphs', call: (o) => api.dedupeParagraphs('x', o),
    misspelled: ['minChar', 3, 'minChars'], wrongType: ['minChars', '3'], outOfRange: ['unit', 'word'],
    nested: [{ path: 'near', misspelled: ['treshold', 0.5, 'threshold'], wrongType: ['threshold', '0.5'], outOfRange: ['shingleSize', 33] }],
  },
  DEDUPE_PARAGRAPHS_DEFAULTS: { kind: 'constant' },
  ParagraphDeduplicator: {
    kind: 'options', fn: 'ParagraphDeduplicator', call: (o) => new api.ParagraphDeduplicator(o),
    misspelled: ['stor', 'bloom', 'store'], wrongType: ['expectedItems', '5'], outOfRange: ['falsePositiveRate', 0.6],
    bad: [{ what: 'process', call: () => new api.ParagraphDeduplicator().process(1, 2 as never), error: TypeError }],
  },
  PARAGRAPH_DEDUPLICATOR_DEFAULTS: { kind: 'constant' },
  paragraphFrequencies: {
    kind: 'options', fn: 'paragraphFrequencies', call: (o) => api.paragraphFrequencies(['x'], o),
    misspelled: ['minCont', 2, 'minCount'], wrongType: ['top', '5'], outOfRange: ['minCount', 0],
  },
  PARAGRAPH_FREQUENCIES_DEFAULTS: { kind: 'constant' },
  // Substrings
  suffixArray: { kind: 'arguments', fn: 'suffixArray', bad: [
    { what: 'ids', call: () => api.suffixArray([1] as never, 2), error: TypeError },
    { what: 'alphabetSize', call: () => api.suffixArray(Uint32Array.of(1), 0), error: RangeError },
  ] },
  lcpArray: { kind: 'arguments', fn: 'lcpArray', bad: [
    { what: 'sa', call: () => api.lcpArray(Uint32Array.of(0), [0] as never), error: TypeError },
    { what: 'sa length', call: () => api.lcpArray(Uint32Array.of(0), Uint32Array.of()), error: RangeError },
  ] },
  findRepeats: {
    kind: 'options', fn: 'findRepeats', call: (o) => api.findRepeats('x', o),
    misspelled: ['minLenght', 5, 'minLength'], wrongType: ['normalize', 1], outOfRange: ['unit', 'token'],
    bad: [{ what: 'duplicate id', call: () => api.findRepeats([{ id: 1, text: 'a' }, { id: 1, text: 'a' }]), error: RangeError }],
  },
  removeRepeats: {
    kind: 'options', fn: 'removeRepeats', call: (o) => api.removeRepeats('x', o),
    misspelled: ['unite', 'char', 'unit'], wrongType: ['minLength', '5'], outOfRange: ['minLength', 0],
  },
  REPEATS_DEFAULTS: { kind: 'constant' },
  // Quality
  gopherRepetition: {
    kind: 'options', fn: 'gopherRepetition', call: (o) => api.gopherRepetition('x', o),
    misspelled: ['dup_line_frac', 0.1, 'dupLineFrac'], wrongType: ['dupLineFrac', '0.1'], outOfRange: ['dupLineFrac', -1],
  },
  gopherQuality: {
    kind: 'options', fn: 'gopherQuality', call: (o) => api.gopherQuality('x', o),
    misspelled: ['minDocWord', 10, 'minDocWords'], wrongType: ['stopWords', 'the'], outOfRange: ['minDocWords', 1.5],
  },
  c4Quality: {
    kind: 'options', fn: 'c4Quality', call: (o) => api.c4Quality('x', o),
    misspelled: ['filterPolicies', true, 'filterPolicy'], wrongType: ['filterPolicy', 1], outOfRange: ['minNumSentences', -2],
  },
  finewebQuality: {
    kind: 'options', fn: 'finewebQuality', call: (o) => api.finewebQuality('x', o),
    misspelled: ['linePunctThreshold', 0.1, 'linePunctThr'], wrongType: ['shortLineLength', '30'], outOfRange: ['newLineRatio', -0.5],
  },
  qualityReport: {
    kind: 'options', fn: 'qualityReport', call: (o) => api.qualityReport('x', o),
    misspelled: ['tokeniser', 'whitespace', 'tokenizer'], wrongType: ['tokenizer', 1], outOfRange: ['tokenizer', 'spacy'],
    nested: [
      { path: 'c4', misspelled: ['filterPolicys', true, 'filterPolicy'], wrongType: ['filterPolicy', 'no'], outOfRange: ['maxWordLength', -5] },
      { path: 'fineweb', misspelled: ['newLineRatios', 0.3, 'newLineRatio'] },
    ],
  },
  // Explanations and reports
  explainDuplicate: {
    kind: 'options', fn: 'explainDuplicate', call: (o) => api.explainDuplicate('a b', 'a c', o),
    misspelled: ['treshold', 0.5, 'threshold'], wrongType: ['verify', 'yes'], outOfRange: ['threshold', 0],
    nested: [{ path: 'shingle', misspelled: ['sise', 3, 'size'], wrongType: ['size', '3'], outOfRange: ['size', 0] }],
    bad: [
      { what: 'a', call: () => api.explainDuplicate(1 as never, 'x'), error: TypeError },
      { what: 'keep', call: () => api.explainDuplicate('a', 'b', { keep: 'last' as never }), error: RangeError },
    ],
  },
  dedupeReportData: {
    kind: 'options', fn: 'dedupeReportData', call: (o) => api.dedupeReportData(['a b'], api.dedupe(['a b']), o),
    misspelled: ['sample', 3, 'samples'], wrongType: ['samples', '3'], outOfRange: ['samples', -1],
    nested: [{ path: 'dedupe', misspelled: ['treshold', 0.5, 'threshold'], wrongType: ['verify', 'yes'], outOfRange: ['threshold', 0] }],
    bad: [
      { what: 'docs', call: () => api.dedupeReportData(5 as never, api.dedupe([] as string[])), error: TypeError },
      { what: 'result', call: () => api.dedupeReportData([], {} as never), error: TypeError },
    ],
  },
  DedupeReportBuilder: {
    kind: 'options', fn: 'DedupeReportBuilder', call: (o) => new api.DedupeReportBuilder(o),
    misspelled: ['membersPerClusters', 2, 'membersPerCluster'], wrongType: ['seed', '1'], outOfRange: ['largeCluster', 1],
    nested: [{ path: 'dedupe', misspelled: ['metod', 'exact', 'method'], wrongType: ['numPerm', '64'], outOfRange: ['numPerm', 0] }],
    bad: [{ what: 'kept after build', call: () => { const b = new api.DedupeReportBuilder(); b.build(); b.kept(1); }, error: RangeError }],
  },
  DEDUPE_REPORT_DEFAULTS: { kind: 'constant' },
  renderDedupeReport: {
    kind: 'options', fn: 'renderDedupeReport', call: (o) => api.renderDedupeReport(new api.DedupeReportBuilder().build(), o),
    misspelled: ['titel', 'x', 'title'], wrongType: ['title', 1], outOfRange: null,
    bad: [{ what: 'data', call: () => api.renderDedupeReport(null as never), error: TypeError }],
  },
  QualityReportBuilder: {
    kind: 'options', fn: 'QualityReportBuilder', call: (o) => new api.QualityReportBuilder(o),
    misspelled: ['sample', 3, 'samples'], wrongType: ['textLength', '9'], outOfRange: ['textLength', 0],
    nested: [{ path: 'quality', misspelled: ['tokeniser', 'whitespace', 'tokenizer'], wrongType: ['tokenizer', 1], outOfRange: ['tokenizer', 'spacy'] }],
  },
  QUALITY_REPORT_DEFAULTS: { kind: 'constant' },
  renderQualityReport: {
    kind: 'options', fn: 'renderQualityReport', call: (o) => api.renderQualityReport(new api.QualityReportBuilder().build(), o),
    misspelled: ['subtitel', 'x', 'subtitle'], wrongType: ['subtitle', 1], outOfRange: null,
    bad: [{ what: 'data', call: () => api.renderQualityReport(new api.DedupeReportBuilder().build() as never), error: TypeError }],
  },
  GOPHER_REPETITION_DEFAULTS: { kind: 'constant' },
  GOPHER_QUALITY_DEFAULTS: { kind: 'constant' },
  C4_QUALITY_DEFAULTS: { kind: 'constant' },
  FINEWEB_QUALITY_DEFAULTS: { kind: 'constant' },
  TERMINAL_PUNCTUATION: { kind: 'constant' },
};

/** Runs `call`, expecting `Err` with a message starting with `fn:` in one of the two formats; returns the message. */
function thrown(call: () => unknown, Err: Err, fn: string, format: RegExp = MUST_BE): string {
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error, `${fn}: expected ${Err.name}, nothing was thrown`).toBeInstanceOf(Err);
  const message = (error as Error).message;
  expect(message.startsWith(`${fn}:`), message).toBe(true);
  expect(message).toMatch(format);
  expect(message).not.toMatch(MACHINE_RANGE);
  return message;
}

describe('the options-and-errors contract, over every export of src/index.ts', () => {
  it('every runtime export has a row in the table (add one for a new export)', () => {
    expect(Object.keys(api).sort()).toEqual(Object.keys(ROWS).sort());
  });

  it('constants are frozen', () => {
    for (const [name, row] of Object.entries(ROWS)) {
      if (row.kind !== 'constant') continue;
      const value = (api as Record<string, unknown>)[name];
      if (typeof value === 'object' && value !== null) expect(Object.isFrozen(value), name).toBe(true);
    }
  });

  for (const [name, row] of Object.entries(ROWS)) {
    if (row.kind === 'constant') continue;
    if (row.kind === 'async') {
      it(`${name}: bad arguments reject with TypeError / RangeError in the one format`, async () => {
        for (const bad of row.bad) {
          const error: unknown = await bad.call().then(() => undefined, (e: unknown) => e);
          expect(error, bad.what).toBeInstanceOf(bad.error);
          const message = (error as Error).message;
          expect(message.startsWith(`${row.fn}:`), message).toBe(true);
          expect(message, bad.what).toMatch(bad.what.includes('misspelled') ? UNKNOWN : MUST_BE);
          expect(message).not.toMatch(MACHINE_RANGE);
        }
      });
      continue;
    }
    if (row.kind === 'arguments') {
      it(`${name}: bad arguments throw TypeError / RangeError in the one format`, () => {
        for (const bad of row.bad) thrown(bad.call, bad.error, row.fn);
      });
      continue;
    }
    describe(`${name}(…, options)`, () => {
      it('a misspelled key is a TypeError naming the closest valid key', () => {
        const [key, value, suggestion] = row.misspelled;
        const message = thrown(() => row.call({ [key]: value }), TypeError, row.fn, UNKNOWN);
        expect(message).toBe(`${row.fn}: unknown option "${key}" (did you mean "${suggestion}"?)`);
      });
      it('a wrong type is a TypeError naming the option path and the value', () => {
        const [key, value] = row.wrongType;
        expect(thrown(() => row.call({ [key]: value }), TypeError, row.fn)).toContain(`${row.fn}: options.${key} must be `);
      });
      it('an out-of-range value is a RangeError naming the option path and the value', () => {
        if (row.outOfRange === null) return;
        const [key, value] = row.outOfRange;
        expect(thrown(() => row.call({ [key]: value }), RangeError, row.fn)).toContain(`${row.fn}: options.${key} must be `);
      });
      it('an options argument that is not an object is a TypeError', () => {
        thrown(() => row.call('options' as never), TypeError, row.fn);
        thrown(() => row.call([] as never), TypeError, row.fn);
      });
      it('defaults: no options and {} are accepted', () => {
        expect(() => row.call({})).not.toThrow();
      });
      for (const nested of row.nested ?? []) {
        it(`options.${nested.path}: a misspelled nested key names its path and the closest key`, () => {
          const [key, value, suggestion] = nested.misspelled;
          const message = thrown(() => row.call({ [nested.path]: { [key]: value } }), TypeError, row.fn, UNKNOWN);
          expect(message).toBe(`${row.fn}: unknown option "${nested.path}.${key}" (did you mean "${nested.path}.${suggestion}"?)`);
        });
        if (nested.wrongType) {
          it(`options.${nested.path}: a wrong type names the nested path`, () => {
            const [key, value] = nested.wrongType!;
            const message = thrown(() => row.call({ [nested.path]: { [key]: value } }), TypeError, row.fn);
            expect(message).toContain(`${row.fn}: options.${nested.path}.${key} must be `);
          });
        }
        if (nested.outOfRange) {
          it(`options.${nested.path}: an out-of-range value names the nested path`, () => {
            const [key, value] = nested.outOfRange!;
            const message = thrown(() => row.call({ [nested.path]: { [key]: value } }), RangeError, row.fn);
            expect(message).toContain(`${row.fn}: options.${nested.path}.${key} must be `);
          });
        }
      }
      if (row.bad) {
        it('methods and state errors use the same format', () => {
          for (const bad of row.bad!) {
            let error: unknown;
            try {
              bad.call();
            } catch (e) {
              error = e;
            }
            expect(error, bad.what).toBeInstanceOf(bad.error);
            expect((error as Error).message, bad.what).toMatch(MUST_BE);
            expect((error as Error).message.startsWith(row.fn), bad.what).toBe(true);
          }
        });
      }
    });
  }
});

describe('messages read as a person writes them', () => {
  it('a positive-number range is "greater than 0 and at most 1", an integer range "from 1 to 1024"', () => {
    expect(() => api.dedupe([], { threshold: 0 })).toThrow(
      new RangeError('dedupe: options.threshold must be a number greater than 0 and at most 1, got 0'),
    );
    expect(() => api.shingles('x', { size: 0 })).toThrow(new RangeError('shingles: options.size must be an integer from 1 to 1024, got 0'));
    expect(() => api.dedupe([], { shingle: { size: 0 } })).toThrow(
      new RangeError('dedupe: options.shingle.size must be an integer from 1 to 1024, got 0'),
    );
    expect(() => api.dedupe([], { editRatioMaxLength: -1 })).toThrow(
      new RangeError('dedupe: options.editRatioMaxLength must be an integer of at least 0, got -1'),
    );
  });

  it('dedupe({method: "simhash", maxDistance}) allows 0 to 43, the most its index can hold (C(45, 2) = 990 tables)', () => {
    expect(api.dedupe(['a b c d e f'], { method: 'simhash', maxDistance: 43 }).kept).toEqual([0]);
    expect(() => api.dedupe([], { method: 'simhash', maxDistance: 44 })).toThrow(
      new RangeError('dedupe: options.maxDistance must be an integer from 0 to 43, got 44'),
    );
  });

  it('a repeated id is a RangeError everywhere: LshIndex, SimHashIndex, the detector, dedupe, findRepeats', () => {
    const lsh = new api.LshIndex({ numPerm: 2, bands: 1, rows: 2 });
    lsh.insert('a', sig([1, 2]));
    expect(() => lsh.insert('a', sig([1, 2]))).toThrow(RangeError);
    const sim = new api.SimHashIndex();
    sim.insert('a', 1n);
    expect(() => sim.insert('a', 1n)).toThrow(RangeError);
    const detector = new api.NearDuplicateDetector();
    detector.add('a', 'one two three four five');
    expect(() => detector.add('a', 'six seven eight nine ten')).toThrow(RangeError);
    expect(() => api.dedupe([{ id: 'a', text: '' }, { id: 'a', text: '' }])).toThrow(RangeError);
    expect(() => api.findRepeats([{ id: 'a', text: '' }, { id: 'a', text: '' }])).toThrow(RangeError);
  });

  it('an unknown key far from every valid one lists the allowed keys', () => {
    expect(() => new api.MinHasher({ zzzzzzzz: 1 } as never)).toThrow(
      new TypeError('MinHasher: unknown option "zzzzzzzz" (allowed: numPerm, seed, scheme)'),
    );
  });

  it('validation happens once, in the constructor: a MinHasher with bad options never exists', () => {
    const hasher = new api.MinHasher({ numPerm: 8 });
    const values = hasher.signature(set).values;
    expect(values).toHaveLength(8);
    expect(hasher.signature(set).values).toEqual(values);
  });
});

/** Optimal string alignment distance by plain recursion: the oracle for keyDistance. */
function osa(a: string, b: string): number {
  const memo = new Map<string, number>();
  const go = (i: number, j: number): number => {
    if (i === 0) return j;
    if (j === 0) return i;
    const key = `${i},${j}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let v = Math.min(go(i - 1, j) + 1, go(i, j - 1) + 1, go(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, go(i - 2, j - 2) + 1);
    memo.set(key, v);
    return v;
  };
  return go(a.length, b.length);
}

describe('keyDistance(a, b) and closestKey(key, allowed)', () => {
  it('keyDistance equals the recursive optimal-string-alignment oracle, case-insensitively (property)', () => {
    const word = fc.array(fc.constantFrom(...'abcdeABC'), { maxLength: 8 }).map((letters) => letters.join(''));
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(keyDistance(a, b)).toBe(osa(a.toLowerCase(), b.toLowerCase()));
        expect(keyDistance(a, b)).toBe(keyDistance(b, a));
      }),
      { seed: 9, numRuns: 400 },
    );
  });

  it('a transposition, a missing or an extra letter is one edit', () => {
    expect([keyDistance('treshold', 'threshold'), keyDistance('numPerms', 'numPerm'), keyDistance('szie', 'size')]).toEqual([1, 1, 1]);
    expect(closestKey('SIZE', ['size', 'seed'])).toBe('size');
    expect(closestKey('colour', ['size', 'seed'])).toBeUndefined();
    expect(closestKey('c4Quality', ['tokenizer', 'c4', 'fineweb'])).toBe('c4');
  });
});
