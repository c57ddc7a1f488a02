// Document-level deduplication: the batch job and the streaming detector.
export { dedupe } from './dedupe';
export type { Cluster, DedupeBoilerplateOptions, DedupeResult, DedupeRunOptions, DedupeStats, DuplicateRecord, KeepCandidate, KeepRule } from './dedupe';
export { NearDuplicateDetector, prepareDocument } from './detector';
export type { DetectResult, DocId } from './detector';
export type { PreparedDocument } from './prepare';
export { bandingOf, DEDUPE_DEFAULTS } from './document-options';
export type { DedupeMeasure, DedupeMethod, DedupeOptions } from './document-options';
