export { type CliIo, runCli } from './run.js';
