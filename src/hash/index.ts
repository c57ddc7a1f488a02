export { xxh32 } from './xxh32';
export { xxh64 } from './xxh64';
