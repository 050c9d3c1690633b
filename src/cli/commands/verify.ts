// `terms-archive verify`: every recorded version extracted again from its snapshots, compared byte for byte.
import type { Command } from 'commander';

import { createIsolatedExtractor } from '../../extract/index.js';
import { openSnapshots } from '../../record/index.js';
import { type VerifiedVersion, verifyVersions } from '../../track/index.js';
import { plural } from '../format.js';
import { checkSelection } from '../selection.js';
import { type CliIo, loadServices, openVersionsToRead } from '../setup.js';
import { configOf } from './global-options.js';
import { helpPage } from './help.js';

interface VerifyOptions {
  readonly services?: string[];
  readonly types?: string[];
  readonly json?: boolean;
}

export function registerVerifyCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const verify = program
    .command('verify')
    .description('extract every recorded version again from its snapshots and report those that do not come out byte for byte')
    .option('--services <serviceIds...>', 'only these service IDs')
    .option('--types <termsTypes...>', 'only these terms types')
    .option('--json', 'one JSON object per version checked')
    .action(async (options: VerifyOptions, command: Command) => {
      setExitCode(await run(command, options, io));
    });
  helpPage(verify, 'commands.md#verify');
}

async function run(command: Command, options: VerifyOptions, io: CliIo): Promise<number> {
  const config = await configOf(command, io);
  const { services, brokenIds } = await loadServices(config, io, { areFiltersRun: true });
  checkSelection(services, { serviceIds: options.services, termsTypes: options.types }, brokenIds);
  const versions = await openVersionsToRead(config, io);
  const snapshots = await openSnapshots({ directory: config.snapshotsDir, environment: io.env, isReadOnly: true }).catch(async (error: unknown) => {
    await versions.close();
    throw error;
  });
  const extractor = createIsolatedExtractor({ timeoutMs: config.filterTimeoutMs });
  const counts: Record<VerifiedVersion['status'], number> = { reproduced: 0, differs: 0, unverifiable: 0 };
  try {
    const checked = verifyVersions({ services, snapshots, versions, extract: input => extractor.extract(input), serviceIds: options.services, termsTypes: options.types });
    for await (const version of checked) {
      counts[version.status]++;
      if (options.json) io.out(JSON.stringify({ ...version, date: version.date.toISOString() }));
      else if (version.status !== 'reproduced') {
        const label = version.status === 'differs' ? 'NOT REPRODUCED' : 'NOT CHECKED';
        io.out(`${label}  ${version.serviceId} · ${version.termsType}  ${version.id.slice(0, 10)} (${version.date.toISOString()}): ${version.reason ?? ''}`);
      }
    }
  } finally {
    await extractor.close();
    await Promise.all([snapshots.close(), versions.close()]);
  }
  const total = counts.reproduced + counts.differs + counts.unverifiable;
  if (!options.json) {
    io.out(`${plural(total, 'version')} checked: ${String(counts.reproduced)} reproduced byte for byte, ${String(counts.differs)} not reproduced, ${String(counts.unverifiable)} could not be checked`);
  }
  return counts.differs > 0 || counts.unverifiable > 0 ? 1 : 0;
}
