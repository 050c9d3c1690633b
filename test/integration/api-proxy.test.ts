// Feed links name the host the request came to; X-Forwarded-* headers are believed only behind a trusted proxy.
import { describe, expect, it } from 'vitest';

import { HistoryIndex, startApiServer } from '../../src/publish/index.js';
import { MemoryVersionRepository } from '../../src/record/index.js';

async function feedLinks(trustProxy: boolean): Promise<string> {
  const versions = new MemoryVersionRepository();
  await versions.record({ serviceId: 'Acme', termsType: 'Terms of Service', fetchDate: new Date('2026-01-01T00:00:00Z'), content: 'Terms', snapshotIds: [], isTechnicalUpgrade: false, metadata: {} });
  const index = HistoryIndex.open(versions);
  await index.catchUp();
  const server = await startApiServer({ index, versions, services: [], metadata: { id: 'test', name: 'Test', raw: {} }, engineVersion: 'test', host: '127.0.0.1', port: 0, trustProxy });
  try {
    const response = await fetch(`${server.url}/feed`, { headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' } });
    return await response.text();
  } finally {
    await server.close();
    index.close();
  }
}

describe('feed links', () => {
  it('ignore X-Forwarded-Host unless the proxy is trusted', async () => {
    const direct = await feedLinks(false);
    expect(direct).not.toContain('evil.example');
    expect(direct).toMatch(/href="http:\/\/127\.0\.0\.1:\d+\/api\/v1\/feed"/);
    expect(await feedLinks(true)).toContain('href="https://evil.example/api/v1/feed"');
  });
});
