import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HistoryIndex, loadRenamingRules, writeDataset } from '../../../src/publish/index.js';
import { MemoryVersionRepository } from '../../../src/record/index.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { readZip } from '../../helpers/zip.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => { ({ dir, cleanup } = await makeTempDir()); });
afterEach(async () => { await cleanup(); });

async function record(repository: MemoryVersionRepository, serviceId: string, termsType: string, content: string, iso: string): Promise<void> {
  await repository.record({ serviceId, termsType, fetchDate: new Date(iso), content, snapshotIds: ['0123456789abcdef0123456789abcdef01234567'], isTechnicalUpgrade: false, metadata: {} });
}

async function exported(repository: MemoryVersionRepository, rulesPath?: string): Promise<{ entries: Map<string, string>; summary: Awaited<ReturnType<typeof writeDataset>> }> {
  const index = HistoryIndex.open(repository);
  try {
    await index.catchUp();
    const file = path.join(dir, 'out.zip');
    const summary = await writeDataset({
      index,
      versions: repository,
      metadata: { id: 'demo', name: 'Demo', raw: {} },
      file,
      folder: 'out',
      includeTechnicalUpgrades: true,
      releaseDate: new Date('2026-12-01T00:00:00Z'),
      ...(rulesPath !== undefined && { renaming: await loadRenamingRules(rulesPath, dir) }),
    });
    return { entries: await readZip(file), summary };
  } finally {
    index.close();
  }
}

const versionFiles = (entries: Map<string, string>): string[] => [...entries.keys()].filter(name => name.endsWith('.md') && name !== 'out/README.md');

describe('writeDataset', () => {
  it('ships the full text of the ODbL 1.0 as LICENSE, as OTA does', async () => {
    const repository = new MemoryVersionRepository();
    await record(repository, 'Acme', 'Terms of Service', 'One.\n', '2026-01-01T10:00:00Z');
    const license = (await exported(repository)).entries.get('out/LICENSE') ?? '';
    expect(license).toContain('Open Database License (ODbL)');
    // the whole licence, not a notice pointing at it: its preamble and its last section
    expect(license).toContain('### Preamble');
    expect(license).toContain('10.4');
    expect(license.trimEnd().endsWith('terms of this License.')).toBe(true);
    expect(license.length).toBeGreaterThan(20_000);
  });

  it('keeps only the later of two versions that would share a file name, the same terms in the same second', async () => {
    const repository = new MemoryVersionRepository();
    await record(repository, 'Acme', 'Terms of Service', 'One.\n', '2026-01-01T10:00:00.100Z');
    await record(repository, 'Acme', 'Terms of Service', 'Two.\n', '2026-01-01T10:00:00.900Z');
    await record(repository, 'Acme', 'Terms of Service', 'Three.\n', '2026-01-01T10:00:01.000Z');
    const { entries, summary } = await exported(repository);
    expect(summary).toMatchObject({ versions: 2, replaced: 1, renamed: 0 });
    expect(entries.get('out/Acme/Terms of Service/2026-01-01T10-00-00Z.md')).toBe('Two.\n');
    expect(entries.get('out/Acme/Terms of Service/2026-01-01T10-00-01Z.md')).toBe('Three.\n');
  });

  it("applies renaming rules in OTA's format and order, from OTA's folder of rule files or one JSON file", async () => {
    const repository = new MemoryVersionRepository();
    await record(repository, 'Github', 'terms_of_service', 'Old name.\n', '2020-01-01T10:00:00Z');
    await record(repository, 'GitHub', 'Terms of Service', 'New name.\n', '2026-01-01T10:00:00Z');
    await record(repository, 'Vinted', 'Commercial Terms', 'Sale.\n', '2026-01-02T10:00:00Z');
    await record(repository, 'OpenAI', 'Privacy Policy', 'Split.\n', '2026-01-03T10:00:00Z');
    // OTA's layout and its older file names (documentTypes.json)
    const folder = path.join(dir, 'rules');
    await mkdir(folder);
    await writeFile(path.join(folder, 'serviceNames.json'), JSON.stringify({ Github: 'GitHub', OpenAI: ['ChatGPT', 'DALL·E'] }));
    await writeFile(path.join(folder, 'documentTypes.json'), JSON.stringify({ terms_of_service: 'Terms of Service' }));
    await writeFile(path.join(folder, 'termsTypesByService.json'), JSON.stringify({ Vinted: { 'Commercial Terms': 'General Conditions of Sale' } }));
    const rules = await loadRenamingRules(folder, dir);
    expect(rules.ignored).toEqual(['rules/serviceNames.json › OpenAI: a list of names cannot rename a version; left as "OpenAI"']);
    const { entries, summary } = await exported(repository, folder);
    expect(versionFiles(entries)).toEqual([
      'out/GitHub/Terms of Service/2020-01-01T10-00-00Z.md',
      'out/GitHub/Terms of Service/2026-01-01T10-00-00Z.md',
      'out/Vinted/General Conditions of Sale/2026-01-02T10-00-00Z.md',
      'out/OpenAI/Privacy Policy/2026-01-03T10-00-00Z.md',
    ]);
    expect(summary).toMatchObject({ versions: 4, services: 3, renamed: 2 });
    expect(entries.get('out/versions.csv')).toContain('\r\nGitHub,Terms of Service,2020-01-01T10:00:00.000Z,');

    const file = path.join(dir, 'rules.json');
    await writeFile(file, JSON.stringify({ serviceNames: { Github: 'GitHub' } }));
    expect((await exported(repository, file)).summary).toMatchObject({ renamed: 1 });
  });

  it('exports one of two services renamed to one name in the same second, and names a broken rule by file and key', async () => {
    const repository = new MemoryVersionRepository();
    await record(repository, 'Github', 'Terms of Service', 'Old.\n', '2026-01-01T10:00:00.200Z');
    await record(repository, 'GitHub', 'Terms of Service', 'New.\n', '2026-01-01T10:00:00.700Z');
    const file = path.join(dir, 'rules.json');
    await writeFile(file, JSON.stringify({ serviceNames: { Github: 'GitHub' } }));
    const { entries, summary } = await exported(repository, file);
    expect(summary).toMatchObject({ versions: 1, replaced: 1 });
    expect(entries.get('out/GitHub/Terms of Service/2026-01-01T10-00-00Z.md')).toBe('New.\n');

    await writeFile(file, JSON.stringify({ serviceNames: { Github: 42 } }));
    await expect(loadRenamingRules(file, dir)).rejects.toThrow('rules.json › serviceNames.Github: expected the new name, a non-empty string');
    await writeFile(file, JSON.stringify({ serviceName: {} }));
    await expect(loadRenamingRules(file, dir)).rejects.toThrow('rules.json › serviceName: unknown rule set');
  });
});
