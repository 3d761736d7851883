export { MatchingEngine } from './engine';
export type { PassRun } from './engine';
export { renderReasons, joinTags } from './reasons';
export { UNITS_PER_POINT, replacementThreshold, tagUnits, weights } from './score';
export { defaultBudget } from './types';
export type { CandidateBudget, Exposure, MatchingOptions, PairState, Person, Reason, Suggestion } from './types';
