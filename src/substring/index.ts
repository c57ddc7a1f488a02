export { suffixArray, lcpArray } from './suffix-array';
export { findRepeats, removeRepeats, REPEATS_DEFAULTS } from './repeats';
export type {
  RepeatDocSpan,
  RemoveRepeatsCorpusResult,
  RemoveRepeatsResult,
  Repeat,
  RepeatRemoval,
  RepeatsOptions,
  RepeatSpan,
} from './repeats';
