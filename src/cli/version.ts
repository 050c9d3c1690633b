import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Our package version: written in the X-engine-version trailer of every record. */
export const ENGINE_VERSION = (require('../../package.json') as { version: string }).version;
