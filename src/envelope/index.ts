export { Kind, kindName, openEnvelope, sealEnvelope, type KindCode } from './envelope';
