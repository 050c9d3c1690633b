// A quarantine in memory, for unit tests of tracking.
import { type HeldVersion, heldIdOf, newHeld, type Quarantine, seenAgain, type VersionToHold } from './quarantine.js';

export class MemoryQuarantine implements Quarantine {
  readonly location = 'quarantine (memory)';
  private readonly held = new Map<string, HeldVersion>();

  hold(version: VersionToHold): Promise<{ held: HeldVersion; isNew: boolean }> {
    const before = this.held.get(heldIdOf(version.serviceId, version.termsType, version.content));
    const held = before ? seenAgain(before, version) : newHeld(version);
    this.held.set(held.id, held);
    return Promise.resolve({ held, isNew: before === undefined });
  }

  list(): Promise<HeldVersion[]> {
    return Promise.resolve([...this.held.values()].sort((a, b) => a.fetchDate.getTime() - b.fetchDate.getTime()));
  }

  get(id: string): Promise<HeldVersion | undefined> {
    return Promise.resolve(this.held.get(id));
  }

  remove(id: string): Promise<boolean> {
    return Promise.resolve(this.held.delete(id));
  }
}
