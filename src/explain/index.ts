export { explainDuplicate, Explainer } from './explain';
export type { DuplicateExplanation, ExplainSegment, SharedBlock, SimilarityMeasure } from './explain';
export type { Folding, NormalizeStep } from './folding';
