export * from './cluster';
export * from './file';
export * from './ordinals';
export * from './pairs';
export * from './records';
export * from './setup';
export * from './sign';
