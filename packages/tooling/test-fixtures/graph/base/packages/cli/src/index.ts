export { run } from './commands/run.js';
