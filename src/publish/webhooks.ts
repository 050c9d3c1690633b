// Webhooks: each configured URL receives a JSON POST for each new version (technical upgrades excluded), retried
// with exponential backoff. Deliveries run beside the work that triggered them and never throw into it: a failing
// or slow endpoint costs nothing but its own retries.
import { plural } from '../plural.js';
import type { IndexedVersion } from './history-index.js';
import type { ChangeLabel } from './labels.js';

export interface WebhookOptions {
  readonly urls: readonly string[];
  /** Attempts per delivery. @default 4 */
  readonly attempts?: number;
  /** Wait before the second attempt, doubled each time. @default 1000 */
  readonly backoffMs?: number;
  /** One attempt's time limit. @default 10000 */
  readonly timeoutMs?: number;
  /** Told of each delivery that failed for good. */
  readonly onFailure?: (url: string, version: IndexedVersion, reason: string) => void;
}

export interface WebhookPayload {
  readonly event: 'version';
  readonly serviceId: string;
  readonly termsType: string;
  readonly versionId: string;
  readonly fetchDate: string;
  readonly kind: 'first' | 'change';
  readonly summary: string;
  readonly label: ChangeLabel;
  readonly linesAdded: number;
  readonly linesRemoved: number;
  readonly sections: readonly string[];
}

export class WebhookSender {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: WebhookOptions) {}

  /** Starts the deliveries of one version; returns at once. */
  notify(version: IndexedVersion): void {
    if (version.kind === 'upgrade') return;
    const payload: WebhookPayload = {
      event: 'version',
      serviceId: version.serviceId,
      termsType: version.termsType,
      versionId: version.id,
      fetchDate: version.fetchDate,
      kind: version.kind,
      summary: version.summary,
      label: version.label,
      linesAdded: version.linesAdded,
      linesRemoved: version.linesRemoved,
      sections: version.sections,
    };
    for (const url of this.options.urls) {
      const delivery = this.deliver(url, payload).catch((error: unknown) => {
        this.options.onFailure?.(url, version, error instanceof Error ? error.message : String(error));
      });
      this.pending.add(delivery);
      void delivery.finally(() => this.pending.delete(delivery));
    }
  }

  /** Waits for the deliveries in progress, at most `timeoutMs`. */
  async drain(timeoutMs = 60_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all([...this.pending]), new Promise(resolve => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  private async deliver(url: string, payload: WebhookPayload): Promise<void> {
    const attempts = this.options.attempts ?? 4;
    let reason = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'User-Agent': 'terms-archive-webhook' },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
          redirect: 'error',
        });
        await response.body?.cancel();
        if (response.ok) return;
        reason = `HTTP ${response.status}`;
        if (response.status >= 400 && response.status < 500 && response.status !== 429) break; // the endpoint refuses it
      } catch (error) {
        reason = error instanceof Error ? error.message : String(error);
      }
      if (attempt < attempts) await new Promise(resolve => setTimeout(resolve, (this.options.backoffMs ?? 1000) * 2 ** (attempt - 1)));
    }
    throw new Error(`${reason} after ${plural(attempts, 'attempt')}`);
  }
}
