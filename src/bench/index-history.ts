// `npm run bench:index`: the history index on a real-shaped history, a ratio measured in one run.
// 1. Generates a real-shaped versions repository of --versions versions from the conformance corpus (real-history.ts).
// 2. Times reading the history (the repository's changesSince, what the index reads: each version and the one
//    before it) as the baseline, then the history index catching up on it from nothing, and prints both rates.
//
//   node dist/bench/index-history.js [--corpus ../shared/conformance] [--versions 4000] [--seed 1]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { HistoryIndex } from '../publish/index.js';
import { openVersions } from '../record/index.js';
import { generateHistory } from './real-history.js';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: '../shared/conformance' },
    versions: { type: 'string', default: '4000' },
    seed: { type: 'string', default: '1' },
  },
});
const VERSIONS = Number(values.versions);
const environment = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

async function main(): Promise<void> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'bench-index-'));
  try {
    let started = performance.now();
    const { kinds, bytes, terms } = await generateHistory({ directory, corpus: values.corpus, versions: VERSIONS, seed: Number(values.seed) });
    console.log(`generated ${VERSIONS.toLocaleString('en')} versions of ${String(terms.length)} real terms (${(bytes / VERSIONS / 1024).toFixed(1)} KB a version on average) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const [kind, count] of Object.entries(kinds).sort((a, b) => b[1] - a[1])) console.log(`  ${kind}: ${String(count)}`);

    const repository = await openVersions({ directory, environment, authorName: 'Bench', authorEmail: 'bench@example.invalid', isReadOnly: true });
    try {
      started = performance.now();
      let read = 0;
      for await (const change of repository.changesSince(undefined)) if (change.content !== undefined) read++;
      const readSeconds = (performance.now() - started) / 1000;
      console.log(`baseline, reading each version and the one before it: ${String(read)} versions in ${readSeconds.toFixed(2)} s (${Math.round(read / readSeconds).toLocaleString('en')} versions/s)`);

      const index = HistoryIndex.open(repository);
      try {
        started = performance.now();
        // the time each version took, from the one before it (the first one carries the start: left out)
        const times: number[] = [];
        let last = performance.now();
        const indexed = await index.catchUp(() => {
          const now = performance.now();
          times.push(now - last);
          last = now;
        });
        const seconds = (performance.now() - started) / 1000;
        const sorted = times.slice(1).sort((a, b) => a - b);
        const at = (share: number): string => (sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0).toFixed(2);
        console.log(`history index, from nothing: ${String(indexed)} versions in ${seconds.toFixed(2)} s (${Math.round(indexed / seconds).toLocaleString('en')} versions/s, ${(seconds / readSeconds).toFixed(2)}× the baseline)`);
        console.log(`  per version: p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);
      } finally {
        index.close();
      }
    } finally {
      await repository.close();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

await main();
