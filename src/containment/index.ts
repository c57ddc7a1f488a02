export { ContainmentIndex, CONTAINMENT_INDEX_DEFAULTS } from './containment-index';
export type { ContainmentIndexOptions, ContainmentMatch } from './containment-index';
