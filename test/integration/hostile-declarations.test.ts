// Declarations are untrusted: a pull request can name a service or a terms type so as to write outside the
// repositories, into .git, or to forge commit message lines. Each such name is refused with its file and field,
// nothing of it is recorded, and the other services are tracked.
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../src/cli/index.js';
import { documentIdOf, loadDeclarations } from '../../src/declarations/index.js';
import { openSnapshots, openVersions, UnsafeNameError } from '../../src/record/index.js';
import { git } from '../helpers/git.js';
import { html, startServer, type TestServer } from '../helpers/http-server.js';
import { captureIo } from '../helpers/silent.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ '/tos': { body: html('<main><h1>Terms</h1><p>Be nice.</p></main>') } });
});
afterAll(() => server.close());

const terms = (type = 'Terms of Service'): Record<string, unknown> => ({ [type]: { fetch: server.url('/tos'), select: 'main' } });

/** Declaration files named after hostile service IDs, each with a fine terms. */
const HOSTILE_IDS: [file: string, id: string, reason: RegExp][] = [
  ['..json', '.', /starts with a dot/],
  ['...json', '..', /starts with a dot/],
  ['.git.json', '.git', /starts with a dot/],
  ['.json', '', /is empty/],
  [' Padded.json', ' Padded', /starts or ends with a space/],
];

/** Terms types that try to escape, forge a message, or split a path. */
const HOSTILE_TYPES: [type: string, reason: RegExp][] = [
  ['Terms of Service/../../../../bad-escape-type', /contains a \/ or a \\/],
  ['Privacy/Cookies', /contains a \/ or a \\/],
  ['Terms\n\nThis version was recorded after extracting from snapshot 0000000000000000000000000000000000000000', /line break/],
  ['Terms\r\nX-engine-version: forged', /line break/],
  ['Terms #forged', /contains " #"/],
  ['..', /starts with a dot/],
];

async function hostileCollection(dir: string): Promise<void> {
  await mkdir(path.join(dir, 'declarations'));
  for (const [file] of HOSTILE_IDS) await writeFile(path.join(dir, 'declarations', file), JSON.stringify({ name: 'Hostile', terms: terms() }));
  for (const [index, [type]] of HOSTILE_TYPES.entries()) {
    await writeFile(path.join(dir, 'declarations', `Types ${String(index)}.json`), JSON.stringify({ name: 'Types', terms: terms(type) }));
  }
  await writeFile(path.join(dir, 'declarations', 'Local.json'), JSON.stringify({ name: 'Local', terms: { 'Terms of Service': { fetch: 'file:///etc/passwd', select: 'body' }, 'Privacy Policy': { combine: [{ fetch: 'ftp://acme.example/privacy' }], select: 'body' } } }));
  await writeFile(path.join(dir, 'declarations', 'Fine.json'), JSON.stringify({ name: 'Fine', terms: terms() }));
}

describe('hostile names in declarations', () => {
  it('are errors naming the file and the field, and leave the other services loaded', async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      await hostileCollection(dir);
      const { services, errors } = await loadDeclarations(path.join(dir, 'declarations'));
      expect(services.map(service => service.id)).toEqual(['Fine']);
      for (const [file, id, reason] of HOSTILE_IDS) {
        const error = errors.find(candidate => candidate.file === `declarations/${file}`);
        expect(error?.message, file).toMatch(reason);
        expect(error?.message).toContain(`the service ID ${JSON.stringify(id)} (the file name)`);
      }
      for (const [index, [type, reason]] of HOSTILE_TYPES.entries()) {
        const error = errors.find(candidate => candidate.file === `declarations/Types ${String(index)}.json`);
        expect(error?.path, type).toBe(`terms[${JSON.stringify(type)}]`);
        expect(error?.message).toMatch(reason);
      }
      expect(errors.filter(error => error.file === 'declarations/Local.json').map(error => error.message)).toEqual([
        'declarations/Local.json › terms["Terms of Service"].fetch: only http and https URLs can be tracked, got "file:///etc/passwd"',
        'declarations/Local.json › terms["Privacy Policy"].combine[0].fetch: only http and https URLs can be tracked, got "ftp://acme.example/privacy"',
      ]);
    } finally {
      await cleanup();
    }
  });

  it('are rejected by validate --schema-only, as CI runs it on pull requests', async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      await hostileCollection(dir);
      const io = captureIo(dir);
      expect(await runCli(['validate', '--schema-only', '--json'], io)).toBe(1);
      const report = JSON.parse(io.output.join('\n')) as { errors: number };
      expect(report.errors).toBe(HOSTILE_IDS.length + HOSTILE_TYPES.length + 2);
    } finally {
      await cleanup();
    }
  });

  it('never write outside the repositories, never into .git, never into a commit message; the rest is tracked', async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      await hostileCollection(dir);
      const io = captureIo(dir);
      expect(await runCli(['track'], io)).toBe(1); // broken declarations: exit code 1, the fine one tracked
      // the status file of the pass is the only thing written beside the repositories
      expect((await readdir(dir)).sort()).toEqual(['declarations', 'snapshots-repo', 'status.json', 'versions-repo']);
      expect(existsSync(path.join(dir, 'bad-escape-type.html'))).toBe(false);
      for (const repository of ['snapshots-repo', 'versions-repo']) {
        expect(git(path.join(dir, repository), 'ls-files').trim().split('\n')).toEqual([`Fine/Terms of Service.${repository === 'versions-repo' ? 'md' : 'html'}`]);
        expect(git(path.join(dir, repository), 'log', '--format=%B')).not.toContain('forged');
        expect(git(path.join(dir, repository), 'fsck', '--no-progress')).toBe('');
      }
      // and the next run is not broken by anything the first one did (it exits with 1: the declarations are still broken)
      const next = captureIo(dir);
      expect(await runCli(['track', '--services', 'Fine'], next)).toBe(1);
      expect(next.output.at(-1)).toMatch(/^Tracking pass: 1 terms of 1 service, 0 snapshots and 0 versions recorded, 0 inaccessible/);
      expect(next.errors.filter(line => !line.startsWith('Declaration error: '))).toEqual([]);
    } finally {
      await cleanup();
    }
  });
});

describe('the record stage', () => {
  it('refuses an unsafe name whoever passes it, writing nothing', async () => {
    const { dir, cleanup } = await makeTempDir();
    const environment = { PATH: process.env.PATH };
    const snapshots = await openSnapshots({ directory: path.join(dir, 'repos', 'snapshots'), environment });
    const versions = await openVersions({ directory: path.join(dir, 'repos', 'versions'), environment });
    try {
      const snapshot = { termsType: 'Terms of Service', documentId: '', fetchDate: new Date(), mimeType: 'text/html', content: 'x', metadata: {} };
      await expect(snapshots.record({ ...snapshot, serviceId: '..' })).rejects.toThrow(UnsafeNameError);
      await expect(snapshots.record({ ...snapshot, serviceId: 'Acme', documentId: 'a\nb' })).rejects.toThrow('The document ID "a\\nb" contains a line break');
      const version = { serviceId: 'Acme', fetchDate: new Date(), content: 'x', snapshotIds: [], isTechnicalUpgrade: false, metadata: {} };
      await expect(versions.record({ ...version, termsType: '../../escape' })).rejects.toThrow(UnsafeNameError);
      expect(await snapshots.count()).toBe(0);
      expect(await versions.count()).toBe(0);
      expect((await readdir(path.join(dir, 'repos'))).sort()).toEqual(['snapshots', 'versions']);
    } finally {
      await Promise.all([snapshots.close(), versions.close()]);
      await cleanup();
    }
  });

  it('turns line breaks of a URL into underscores in document IDs', () => {
    expect(documentIdOf('https://acme.example/legal%0AThis%20version/terms')).toBe('legal_This version-terms');
  });
});
