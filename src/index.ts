/**
 * neardup finds exact and near-duplicate texts among millions, removes repeated lines and paragraphs, finds
 * repeated substrings, and scores documents with the Gopher, C4 and FineWeb quality heuristics. Everything is
 * imported from `'neardup'`; start with {@link dedupe} or the guides.
 *
 * @groupDescription Deduplicating documents
 * Keep one copy of every group of duplicate documents: {@link dedupe} for a whole collection (clusters, a keep
 * rule, statistics), {@link NearDuplicateDetector} for a stream or a service that checks each new text and saves
 * its state with `toBytes`, {@link RedisNearDuplicateDetector} for one index in Redis shared by many processes.
 * Pairs are found with MinHash + LSH (or SimHash, or exact hashes) and verified with the
 * exact Jaccard similarity of their shingle sets. Documents are `{ id, text }` ({@link Doc}) or bare strings.
 *
 * @groupDescription Repeated paragraphs
 * Remove lines, paragraphs or sentences that repeat earlier ones, inside one text ({@link dedupeParagraphs}) or
 * across a stream of documents ({@link ParagraphDeduplicator}), and count the most repeated ones
 * ({@link paragraphFrequencies}): template boilerplate, syndicated copies, "related content" widgets.
 *
 * @groupDescription Quality
 * Score a document with the Gopher repetition and quality rules, C4 and FineWeb, with datatrove's thresholds and
 * reason names: every function returns `{ pass, reasons, stats }`; {@link qualityReport} runs all four at once.
 *
 * @groupDescription Explaining and reporting
 * Why two texts match ({@link explainDuplicate}: the similarity, the normalization steps that folded them together,
 * their shared and differing word spans) and what a whole run did: {@link dedupeReportData} and the report builders
 * return plain JSON for a dashboard, {@link renderDedupeReport} and {@link renderQualityReport} one self-contained
 * HTML page (the CLI's `--html`).
 *
 * @groupDescription Text
 * Normalization (NFKC, case, punctuation, digits) and segmentation into lines, paragraphs, sentences and words,
 * each segment with UTF-16 offsets into your original string.
 *
 * @groupDescription Shingles and similarity
 * Cut a text into hashed word or character n-grams ({@link shingles}: a sorted `Uint32Array`) and compare two
 * sets exactly: Jaccard similarity, containment, and the edit ratio of two strings.
 *
 * @groupDescription Sketches
 * Fixed-size summaries of a shingle set: a MinHash signature estimates Jaccard similarity, a SimHash fingerprint
 * estimates cosine similarity by Hamming distance. Both are seeded, so sketches made in two processes compare.
 *
 * @groupDescription Indexes
 * Find candidates without comparing every pair: {@link LshIndex} bands MinHash signatures (with the band and row
 * counts from {@link recallLshParams} or {@link optimalLshParams}), {@link SimHashIndex} finds fingerprints within a
 * Hamming distance, {@link BloomFilter} remembers what was seen in fixed memory. All serialize with `toBytes`.
 *
 * @groupDescription Hashing
 * xxHash32 and xxHash64 of strings (as UTF-8) and bytes, equal to the reference implementation.
 *
 * @groupDescription Repeated substrings
 * Exact repeated spans of words or characters across a corpus with a suffix array ({@link findRepeats},
 * {@link removeRepeats}), as in Lee et al. 2022.
 *
 * @packageDocumentation
 */
// Exports in layer order (hash ← text ← shingle ← similarity / minhash / simhash ← lsh ← dedup; paragraphs,
// substring and quality beside them). Nothing else is exported and nothing runs at import time.

// Documents: the one id type and the one document type of every module.
export type { Doc, DocId } from './internal/doc';

// Hashing: xxHash over UTF-8 strings and bytes.
export { xxh32, xxh64 } from './hash';

// Text: normalization and segmentation with offsets into the original.
export { normalize, NORMALIZE_DEFAULTS, lines, paragraphs, sentences, words, WORD_DEFAULTS } from './text';
export type { NormalizeOptions, Segment, SentenceOptions, WordOptions } from './text';

// Shingles and exact set / edit similarity.
export { shingles, SHINGLE_DEFAULTS } from './shingle';
export type { ShingleOptions } from './shingle';
export { jaccard, containment, editRatio } from './similarity';

// Sketches: MinHash and SimHash.
export { MinHasher, MINHASH_DEFAULTS, MINHASH_LIMITS, estimateJaccard, signatureToBytes, signatureFromBytes, EMPTY_SLOT } from './minhash';
export type { MinHasherOptions, MinHashScheme, MinHashSignature } from './minhash';
export { simhash, hamming, SIMHASH_DEFAULTS, SimHashIndex, SIMHASH_INDEX_DEFAULTS } from './simhash';
export type { SimHashOptions, SimHashIndexOptions } from './simhash';

// Indexes: LSH bands, a Bloom filter and containment search.
export { LshIndex, LSH_DEFAULTS, optimalLshParams, recallLshParams } from './lsh';
export type { LshIndexOptions, LshParams } from './lsh';
export { BloomFilter, BLOOM_FILTER_DEFAULTS } from './bloom';
export type { BloomFilterOptions } from './bloom';
export { ContainmentIndex, CONTAINMENT_INDEX_DEFAULTS } from './containment';
export type { ContainmentIndexOptions, ContainmentMatch } from './containment';

// Document dedup: batch and streaming.
export { dedupe, NearDuplicateDetector, prepareDocument, DEDUPE_DEFAULTS, bandingOf, boilerplateShingles, BOILERPLATE_DEFAULTS } from './dedup';
export type {
  Cluster, DedupeResult, DedupeRunOptions, DedupeStats, DuplicateRecord, KeepCandidate, KeepRule,
  DetectResult, PreparedDocument, DedupeMethod, DedupeMeasure, DedupeOptions, BoilerplateOptions, DedupeBoilerplateOptions,
} from './dedup';

// One near-duplicate index shared by many processes, on Redis (the caller passes the client).
export { RedisNearDuplicateDetector, REDIS_DETECTOR_DEFAULTS } from './service';
export type { RedisClientLike, RedisDetectorOptions, RedisWindow } from './service';

// Why two documents match: similarity, normalization, shared and differing spans.
export { explainDuplicate } from './explain';
export type { DuplicateExplanation, ExplainSegment, Folding, NormalizeStep, SharedBlock, SimilarityMeasure } from './explain';

// The report of a dedupe or quality run: plain JSON data, and a self-contained HTML page.
export {
  dedupeReportData, DedupeReportBuilder, DEDUPE_REPORT_DEFAULTS, renderDedupeReport,
  QualityReportBuilder, QUALITY_REPORT_DEFAULTS, renderQualityReport,
} from './report';
export type {
  ClusterWarning, DedupeReportData, DedupeReportOptions, Histogram, ReportCluster, ReportPair, ReportRenderOptions, ReportText,
  QualityFailure, QualityReportBuilderOptions, QualityReportData, QualityStatistic,
} from './report';

// Repeated text inside and across documents: lines, paragraphs, sentences.
export {
  dedupeParagraphs, DEDUPE_PARAGRAPHS_DEFAULTS, ParagraphDeduplicator, PARAGRAPH_DEDUPLICATOR_DEFAULTS,
  paragraphFrequencies, PARAGRAPH_FREQUENCIES_DEFAULTS,
} from './paragraphs';
export type {
  ParagraphOptions, ParagraphRemoval, ParagraphResult, ParagraphUnit, DedupeParagraphsOptions, NearParagraphOptions,
  ParagraphDeduplicatorOptions, ParagraphStore,
  ParagraphFrequenciesOptions, ParagraphFrequency,
} from './paragraphs';

// Exact repeated substrings: suffix array and LCP.
export { suffixArray, lcpArray, findRepeats, removeRepeats, REPEATS_DEFAULTS } from './substring';
export type {
  Repeat, RepeatDocSpan, RepeatRemoval, RepeatSpan, RepeatsOptions, RemoveRepeatsResult, RemoveRepeatsCorpusResult,
} from './substring';

// Content quality: Gopher, C4, FineWeb, as datatrove computes them.
export {
  gopherRepetition, gopherQuality, c4Quality, finewebQuality, qualityReport,
  GOPHER_REPETITION_DEFAULTS, GOPHER_QUALITY_DEFAULTS, C4_QUALITY_DEFAULTS, FINEWEB_QUALITY_DEFAULTS, TERMINAL_PUNCTUATION,
} from './quality';
export type {
  GopherRepetitionOptions, GopherRepetitionReason, GopherRepetitionResult, GopherRepetitionStats,
  GopherQualityOptions, GopherQualityReason, GopherQualityResult, GopherQualityStats,
  C4QualityOptions, C4QualityReason, C4QualityResult, C4QualityStats,
  FinewebQualityOptions, FinewebQualityReason, FinewebQualityResult, FinewebQualityStats,
  QualityReportOptions, QualityReport, QualityReason, QualityResult, QualityTokenizer, NGramThreshold, TokenizerOption,
} from './quality';
