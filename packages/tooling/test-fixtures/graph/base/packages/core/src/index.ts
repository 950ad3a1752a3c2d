export { hex } from './internal/hex.js';
export type Clock = () => Date;
