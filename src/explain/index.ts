export { explainDuplicate, Explainer, nestedOptionError } from './explain';
export type { DuplicateExplanation, ExplainSegment, SharedBlock, SimilarityMeasure } from './explain';
export type { Folding, NormalizeStep } from './folding';
