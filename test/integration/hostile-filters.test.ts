// Filters are contributors' code: one that never ends, or whose promise never settles, is stopped at its time limit;
// its terms is reported inaccessible with the reason, and the run goes on for the others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { InaccessibleContentError } from '../../src/track/index.js';
import { createTestCollection } from '../helpers/collection.js';
import { git } from '../helpers/git.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ '/page': { body: html('<main><h1>Terms</h1><p>Text.</p><aside>Ad</aside></main>') } });
});
afterAll(() => server.close());

describe('hostile filters', () => {
  it('are stopped at their time limit, without freezing the run', async () => {
    const { dir, cleanup } = await makeTempDir();
    const collection = await createTestCollection(dir);
    try {
      const declare = async (id: string, filters: string): Promise<void> => {
        await collection.writeDeclaration(id, { name: id, terms: { 'Terms of Service': { fetch: server.url('/page'), select: 'main', filter: ['clean'] } } });
        await collection.writeDeclaration(id, filters, '.filters.js');
      };
      await declare('Loops', 'export function clean() { while (true) {} }\n');
      await declare('Waits', 'export function clean() { return new Promise(() => {}); }\n');
      await declare('Fine', "export function clean(document) { document.querySelector('aside').remove(); }\n");
      const archivist = await collection.archivist({ filterTimeoutMs: 2000 });
      const summary = await archivist.runPass({ technicalUpgradeOnly: false });
      expect(summary).toMatchObject({ terms: 3, versionsRecorded: 1, inaccessible: 2 });
      const reasons = collection.events
        .filter(event => event.name === 'inaccessibleContent')
        .map(event => [(event.args[1] as { serviceId: string }).serviceId, (event.args[0] as InaccessibleContentError).reasons[0]]);
      expect(reasons.sort()).toEqual([
        ['Loops', `Extract failed: The filters "clean" did not finish within 2 s on the page at '${server.url('/page')}': they were stopped`],
        ['Waits', `Extract failed: The filters "clean" did not finish within 2 s on the page at '${server.url('/page')}': they were stopped`],
      ]);
      expect(git(collection.versionsDir, 'show', 'HEAD:Fine/Terms of Service.md')).not.toContain('Ad');
    } finally {
      await collection.close();
      await cleanup();
    }
  }, 60_000);
});
