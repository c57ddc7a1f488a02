/**
 * neardup: text deduplication and content quality.
 * This file is the whole public API; nothing else is exported and nothing runs at import time.
 * @packageDocumentation
 */
export { xxh32, xxh64 } from './hash';
