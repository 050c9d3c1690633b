// `terms-archive quarantine`: what tracking held instead of recording (docs/trust.md), and the operator's decision
// on each: release it (record it, dated at its fetch) or discard it.
import type { Command } from 'commander';

import { DiffBudget } from '../../publish/index.js';
import { FolderQuarantine, type HeldVersion, MissingRepositoryError } from '../../record/index.js';
import type { Config } from '../config.js';
import { UsageError } from '../errors.js';
import { columns, plural } from '../format.js';
import { type CliIo, openRepositories, openVersionsToRead } from '../setup.js';
import { paintDiff } from '../diff-output.js';
import { ReleaseRefusedError, releaseHeld } from '../../track/index.js';
import { ENGINE_VERSION } from '../version.js';
import { configOf } from './global-options.js';
import { helpPage } from './help.js';

async function heldOf(quarantine: FolderQuarantine, id: string): Promise<HeldVersion> {
  const held = await quarantine.get(id);
  if (!held) throw new UsageError(`nothing is held as "${id}" in ${quarantine.location} (see "terms-archive quarantine list")`);
  return held;
}

function describe(held: HeldVersion): string[] {
  return [
    `${held.id}: ${held.serviceId} · ${held.termsType}, fetched ${held.fetchDate.toISOString()}, seen by ${plural(held.seen, 'run')} (last ${held.lastSeenDate.toISOString()})`,
    ...held.reasons.map(reason => `  held (${reason.rule}): ${reason.message}`),
    `  snapshots: ${held.snapshots.map(snapshot => snapshot.id ?? `${snapshot.mimeType}, ${String(snapshot.content?.length ?? 0)} long, fetched ${snapshot.fetchDate.toISOString()} (kept here until released)`).join('; ')}`,
  ];
}

export function registerQuarantineCommands(program: Command, io: CliIo): void {
  const quarantine = program.command('quarantine').description('list, show, release or discard the changes held instead of recorded');
  helpPage(quarantine, 'commands.md#quarantine');
  const open = async (command: Command): Promise<{ config: Config; quarantine: FolderQuarantine }> => {
    const config = await configOf(command, io);
    return { config, quarantine: new FolderQuarantine(config.quarantineDir) };
  };

  quarantine
    .command('list', { isDefault: true })
    .description('the held changes, oldest first')
    .action(async (_options: unknown, command: Command) => {
      const { quarantine: held } = await open(command);
      const all = await held.list();
      if (all.length === 0) {
        io.out(`Nothing is held in ${held.location}.`);
        return;
      }
      const rows = all.map(item => [item.id, item.serviceId, item.termsType, item.fetchDate.toISOString(), `seen ${String(item.seen)}×`, item.reasons.map(reason => reason.rule).join(', ')]);
      for (const line of columns([['ID', 'SERVICE', 'TERMS TYPE', 'FETCHED', 'SEEN', 'HELD FOR'], ...rows])) io.out(line);
      io.out(`${plural(all.length, 'change')} held: "terms-archive quarantine show <id>" to see one against the latest version`);
    });

  quarantine
    .command('show')
    .description('why a change is held, and its difference with the latest version')
    .argument('<id>', 'the held change (see "quarantine list")')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { config, quarantine: folder } = await open(command);
      const held = await heldOf(folder, id);
      const versions = await openVersionsToRead(config, io).catch((error: unknown) => {
        if (error instanceof MissingRepositoryError) return undefined;
        throw error;
      });
      try {
        const latest = await versions?.findLatest(held.serviceId, held.termsType);
        for (const line of describe(held)) io.out(line);
        const file = `${held.serviceId}/${held.termsType}.md`;
        const patch = new DiffBudget().patch(file, latest?.content ?? '', held.content, latest ? `latest version ${latest.id}` : '(no version yet)', `held ${held.id}`);
        io.out(paintDiff(patch.replace(/\n$/, ''), false, io.isOutputTerminal === true));
      } finally {
        await versions?.close();
      }
    });

  quarantine
    .command('release')
    .description('record a held change as a version, dated at its fetch')
    .argument('<id>', 'the held change')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { config, quarantine: folder } = await open(command);
      const held = await heldOf(folder, id);
      const { snapshots, versions } = await openRepositories(config, io);
      try {
        let recorded;
        try {
          recorded = await releaseHeld(held, { snapshots, versions, engineVersion: ENGINE_VERSION });
        } catch (error) {
          if (error instanceof ReleaseRefusedError) throw new UsageError(error.message);
          throw error;
        }
        await versions.flush();
        await folder.remove(held.id);
        io.out(
          recorded.isNew
            ? `Released ${held.id}: recorded as version ${recorded.record.id} of ${held.serviceId} ${held.termsType}, dated ${held.fetchDate.toISOString()}`
            : `Released ${held.id}: ${held.serviceId} ${held.termsType}'s latest version already holds this text; nothing recorded`,
        );
      } finally {
        await Promise.all([snapshots.close(), versions.close()]);
      }
    });

  quarantine
    .command('discard')
    .description('drop a held change: it is not the terms (its snapshots stay in the snapshots repository)')
    .argument('<id>', 'the held change')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { quarantine: folder } = await open(command);
      const held = await heldOf(folder, id);
      await folder.remove(held.id);
      io.out(`Discarded ${held.id} (${held.serviceId} ${held.termsType}). If the service serves it again it will be held again: a skip rule in the declaration says for good that it is not the terms.`);
    });
}
