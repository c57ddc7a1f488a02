export { RedisNearDuplicateDetector } from './redis-detector';
export { REDIS_DETECTOR_DEFAULTS } from './options';
export type { RedisDetectorOptions, RedisWindow } from './options';
export type { RedisClientLike } from './client';
