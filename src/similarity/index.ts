export { jaccard, containment } from './sets';
export { editRatio } from './edit';
export { jaccardSorted } from './sets';
