// After a pass: `git gc --auto` on both repositories (record/git/compact.ts says why), unless `compactRepositories`
// is off. A repository not made yet is skipped; a gc that fails is one line on standard error and never fails the run.
import { compactRepository } from '../record/index.js';
import type { Config } from './config.js';
import type { CliContext } from './setup.js';

export async function compactAfterPass(config: Config, context: CliContext): Promise<void> {
  if (!config.compactRepositories) return;
  for (const [name, directory] of [['snapshots', config.snapshotsDir], ['versions', config.versionsDir]] as const) {
    try {
      const result = await compactRepository(directory, context.env);
      if (result === undefined) continue;
      const { packsBefore, packsAfter } = result;
      if (packsAfter < packsBefore) context.err(`Compacted the ${name} repository: ${String(packsBefore)} packs into ${String(packsAfter)}`);
    } catch (error) {
      context.err(`The ${name} repository was not compacted: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
