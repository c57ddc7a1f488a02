export * from './documents';
export { boilerplateShingles, BOILERPLATE_DEFAULTS } from './boilerplate';
export type { BoilerplateOptions } from './boilerplate';
