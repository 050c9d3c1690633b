// `npm run demo`: the whole archiver, offline. Serves the demo site on 127.0.0.1, tracks it into a
// temporary collection, amends one page, tracks again, and says how to see the recorded change.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { runCli } from '../cli/index.js';
import { demoDeclaration, startDemoSite } from './site.js';

const site = await startDemoSite();
try {
  const collection = await mkdtemp(path.join(os.tmpdir(), 'terms-archive-demo-'));
  await mkdir(path.join(collection, 'declarations'));
  await writeFile(path.join(collection, 'declarations', 'Demo Shop.json'), `${JSON.stringify(demoDeclaration(site.origin), null, 2)}\n`);
  const io = {
    cwd: collection,
    stopSignal: new AbortController().signal,
    env: process.env,
    write: (text: string) => process.stdout.write(text),
    out: (line: string) => process.stdout.write(`  ${line}\n`),
    err: (line: string) => process.stderr.write(`  ${line}\n`),
  };
  console.log(`Demo site on ${site.origin}; collection in ${collection}\n`);
  console.log('1. First run: every document is new.');
  const first = await runCli(['track'], io);
  console.log('\n2. The shop changes its delivery terms.');
  site.setEdition(2);
  console.log('\n3. Second run: only what changed is recorded (the footer changes on every load, but is not selected).');
  const second = await runCli(['track'], io);
  const versions = path.join(collection, 'versions-repo');
  console.log(`\nSee the change:\n  git -C '${versions}' log -p -- 'Demo Shop/Terms of Service.md'`);
  console.log(`Every record:\n  git -C '${versions}' log --stat\n  git -C '${path.join(collection, 'snapshots-repo')}' log --stat`);
  process.exitCode = Math.max(first, second);
} finally {
  await site.close();
}
