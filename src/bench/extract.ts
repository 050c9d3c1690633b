// `npm run bench:extract`: extraction speed and memory of the light engine beside the jsdom reference (OTA's
// way: jsdom DOM, turndown on it), on every HTML case of a conformance corpus, in one run. Each engine runs in
// a child process of its own so that its peak RSS is its own. Output must be equal: the table says so.
//
//   node dist/bench/extract.js [--corpus ../shared/conformance] [--runs 5]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { loadServiceFiles } from '../declarations/index.js';
import { extract } from '../extract/index.js';

type Engine = 'jsdom' | 'light';

interface EngineResult {
  readonly engine: Engine;
  readonly documents: number;
  readonly medianMsPerDocument: number;
  readonly totalMs: number;
  readonly peakRssMb: number;
  readonly failures: number;
  readonly outputsHash: string;
  readonly exactAgainstExpected: number;
}

interface Case {
  readonly dir: string;
  readonly html: string;
  readonly expected: string | undefined;
}

function loadCases(corpus: string): Case[] {
  return readdirSync(corpus)
    .map(name => path.join(corpus, name))
    .filter(dir => existsSync(path.join(dir, 'snapshot.html')) && existsSync(path.join(dir, 'declaration.json')))
    .sort()
    .map(dir => ({
      dir,
      html: readFileSync(path.join(dir, 'snapshot.html'), 'utf8'),
      expected: existsSync(path.join(dir, 'expected.md')) ? readFileSync(path.join(dir, 'expected.md'), 'utf8') : undefined,
    }));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function runEngine(engine: Engine, corpus: string, runs: number): Promise<EngineResult> {
  const perDocument: number[] = [];
  const hash = createHash('sha256');
  let failures = 0;
  let exact = 0;
  for (const testCase of loadCases(corpus)) {
    const base = path.join(testCase.dir, 'declaration');
    const { service } = await loadServiceFiles(
      { id: 'declaration', declarationPath: `${base}.json`, filtersPath: `${base}.filters.js`, historyPath: `${base}.history.json` },
      { displayRoot: corpus },
    );
    const type = service?.termsTypes[0];
    const sourceDocument = type === undefined ? undefined : service?.getTerms(type).sourceDocuments[0];
    if (!sourceDocument) {
      failures++;
      continue;
    }
    const timings: number[] = [];
    let output = '';
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      try {
        output = await extract({ content: testCase.html, mimeType: 'text/html', sourceDocument, engine });
      } catch (error) {
        output = `error: ${String(error)}`;
      }
      timings.push(performance.now() - started);
    }
    if (output.startsWith('error: ')) failures++;
    if (output === testCase.expected) exact++;
    hash.update(output).update('\u0000');
    perDocument.push(median(timings));
  }
  return {
    engine,
    documents: perDocument.length,
    medianMsPerDocument: median(perDocument),
    totalMs: perDocument.reduce((sum, ms) => sum + ms, 0),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    failures,
    outputsHash: hash.digest('hex').slice(0, 16),
    exactAgainstExpected: exact,
  };
}

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: '../shared/conformance' },
    runs: { type: 'string', default: '5' },
    engine: { type: 'string' },
  },
});
const corpus = path.resolve(values.corpus);
const runs = Number(values.runs);

if (values.engine === 'jsdom' || values.engine === 'light') {
  process.stdout.write(JSON.stringify(await runEngine(values.engine, corpus, runs)));
} else {
  const self = fileURLToPath(import.meta.url);
  const results = (['jsdom', 'light'] as const).map(
    engine =>
      JSON.parse(
        execFileSync(process.execPath, [self, '--engine', engine, '--corpus', corpus, '--runs', String(runs)], {
          encoding: 'utf8',
          maxBuffer: 16 * 1024 * 1024,
        }),
      ) as EngineResult,
  );
  const [reference, light] = results as [EngineResult, EngineResult];
  console.log(`corpus: ${corpus} (${light.documents} HTML documents, ${runs} runs each, median per document)`);
  console.log('engine  median ms/doc  total ms  peak RSS MB  exact vs expected  failures  outputs');
  for (const result of results) {
    console.log(
      `${result.engine.padEnd(6)}  ${result.medianMsPerDocument.toFixed(2).padStart(13)}  ${result.totalMs.toFixed(0).padStart(8)}  ${result.peakRssMb
        .toFixed(0)
        .padStart(11)}  ${`${result.exactAgainstExpected}/${result.documents}`.padStart(17)}  ${String(result.failures).padStart(8)}  ${result.outputsHash}`,
    );
  }
  console.log(
    `light vs jsdom: ${(reference.totalMs / light.totalMs).toFixed(2)}× faster in total, ${(
      reference.medianMsPerDocument / light.medianMsPerDocument
    ).toFixed(2)}× on the median document, peak RSS ${(light.peakRssMb / reference.peakRssMb).toFixed(2)}× ; outputs ${
      reference.outputsHash === light.outputsHash ? 'identical' : 'DIFFER'
    }`,
  );
}
