// Alerts: each new version (technical upgrades excluded) goes to the subscriptions that want it, in each channel's
// format (channels.ts). HTTP deliveries are retried with exponential backoff; email goes out per change or as one
// daily digest. Deliveries run beside the work that triggered them and never throw into it: a failing or slow
// channel costs nothing but its own retries, and is told of through `onFailure`.
import { readFile, rename, writeFile } from 'node:fs/promises';

import { plural } from '../../plural.js';
import { sendEmail, type SmtpSettings } from '../email.js';
import type { IndexedVersion } from '../history-index.js';
import { LABEL_TITLES } from '../labels.js';
import { alertRequest } from './channels.js';
import { matches, type Subscription } from './subscription.js';

export interface AlertOptions {
  readonly subscriptions: readonly Subscription[];
  /** The page of a version's change, when the instance is served at a public address. */
  readonly link?: (version: IndexedVersion) => string | undefined;
  /** For email subscriptions. */
  readonly smtp?: SmtpSettings;
  readonly from?: string;
  /** Where the changes waiting for a daily digest are kept between runs. */
  readonly digestFile?: string;
  /** Attempts per HTTP delivery. @default 4 */
  readonly attempts?: number;
  /** Wait before the second attempt, doubled each time. @default 1000 */
  readonly backoffMs?: number;
  /** One attempt's time limit. @default 10000 */
  readonly timeoutMs?: number;
  /** Told of each delivery that failed for good; `target` is the URL or the recipients. */
  readonly onFailure?: (target: string, version: IndexedVersion | undefined, reason: string) => void;
  readonly now?: () => Date;
}

interface DigestEntry {
  readonly line: string;
}

interface DigestState {
  lastSent?: string;
  pending: DigestEntry[];
}

const DAY_MS = 24 * 3_600_000;

/** What a digest or a mail says of one version. */
function lineOf(version: IndexedVersion, link: string | undefined): string {
  return `- ${version.serviceId} ${version.termsType} (${version.fetchDate.slice(0, 19).replace('T', ' ')} UTC), ${LABEL_TITLES[version.label].toLowerCase()}: ${version.summary}${link === undefined ? '' : `\n  ${link}`}`;
}

export class AlertSender {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: AlertOptions) {}

  /** Starts the deliveries of one version; returns at once. */
  notify(version: IndexedVersion): void {
    const link = this.options.link?.(version);
    for (const [position, subscription] of this.options.subscriptions.entries()) {
      if (!matches(subscription, version)) continue;
      if (subscription.channel === 'email') {
        const to = (subscription.to ?? []).join(', ');
        if (subscription.digest === 'daily') this.track(this.addToDigest(position, lineOf(version, link)), to, version);
        else this.track(this.mail(subscription, `${version.serviceId} ${version.termsType}: ${LABEL_TITLES[version.label].toLowerCase()} change`, `${lineOf(version, link)}\n`), to, version);
        continue;
      }
      const request = alertRequest(subscription, version, link);
      this.track(this.deliver(request), request.url, version);
    }
  }

  /** Sends the daily digests that are due (a day after the last one, when changes wait). */
  async sendDueDigests(): Promise<void> {
    if (!this.options.subscriptions.some(subscription => subscription.channel === 'email' && subscription.digest === 'daily')) return;
    await this.drain();
    const state = await this.readDigests();
    let isChanged = false;
    const now = this.options.now?.() ?? new Date();
    for (const [position, subscription] of this.options.subscriptions.entries()) {
      const digest = state[String(position)];
      if (subscription.channel !== 'email' || subscription.digest !== 'daily' || !digest || digest.pending.length === 0) continue;
      if (digest.lastSent !== undefined && now.getTime() - Date.parse(digest.lastSent) < DAY_MS) continue;
      try {
        await this.mail(subscription, `${plural(digest.pending.length, 'change')} of the terms you follow`, `${digest.pending.map(entry => entry.line).join('\n')}\n`);
        state[String(position)] = { lastSent: now.toISOString(), pending: [] };
        isChanged = true;
      } catch (error) {
        this.options.onFailure?.((subscription.to ?? []).join(', '), undefined, error instanceof Error ? error.message : String(error));
      }
    }
    if (isChanged) await this.writeDigests(state);
  }

  /** Waits for the deliveries in progress, at most `timeoutMs`. */
  async drain(timeoutMs = 60_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all([...this.pending]), new Promise(resolve => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  private track(delivery: Promise<void>, target: string, version: IndexedVersion): void {
    const tracked = delivery.catch((error: unknown) => {
      this.options.onFailure?.(target, version, error instanceof Error ? error.message : String(error));
    });
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  private async mail(subscription: Subscription, subject: string, text: string): Promise<void> {
    if (this.options.smtp === undefined || this.options.from === undefined) throw new Error('no SMTP server is set (smtpHost)');
    await sendEmail(this.options.smtp, { from: this.options.from, to: subscription.to ?? [], subject, text });
  }

  /** Digests are written one change at a time, in order: two changes of one pass never race on the file. */
  private digestWrites: Promise<void> = Promise.resolve();

  private addToDigest(position: number, line: string): Promise<void> {
    this.digestWrites = this.digestWrites.then(async () => {
      const state = await this.readDigests();
      const digest = (state[String(position)] ??= { pending: [] });
      digest.pending.push({ line });
      await this.writeDigests(state);
    });
    return this.digestWrites;
  }

  private async readDigests(): Promise<Record<string, DigestState>> {
    if (this.options.digestFile === undefined) return {};
    return readFile(this.options.digestFile, 'utf8').then(text => JSON.parse(text) as Record<string, DigestState>, () => ({}));
  }

  private async writeDigests(state: Record<string, DigestState>): Promise<void> {
    if (this.options.digestFile === undefined) return;
    await writeFile(`${this.options.digestFile}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
    await rename(`${this.options.digestFile}.tmp`, this.options.digestFile);
  }

  private async deliver(request: ReturnType<typeof alertRequest>): Promise<void> {
    const attempts = this.options.attempts ?? 4;
    let reason = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000), redirect: 'error' });
        await response.body?.cancel();
        if (response.ok) return;
        reason = `HTTP ${String(response.status)}`;
        if (response.status >= 400 && response.status < 500 && response.status !== 429) break; // the endpoint refuses it
      } catch (error) {
        reason = error instanceof Error ? error.message : String(error);
      }
      if (attempt < attempts) await new Promise(resolve => setTimeout(resolve, (this.options.backoffMs ?? 1000) * 2 ** (attempt - 1)));
    }
    throw new Error(`${reason} after ${plural(attempts, 'attempt')}`);
  }
}
