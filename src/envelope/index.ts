export { Kind, openEnvelope, sealEnvelope, type KindCode } from './envelope';
