// A subscription: a channel (where alerts go, in that channel's payload format) and what it wants to hear of
// (services, terms types, labels: each list, when given, must hold the version's). Secrets are named, never held:
// `secretEnv` and `tokenEnv` name environment variables, read once at start-up.
import type { IndexedVersion } from '../history-index.js';
import { type ChangeLabel, LABEL_TITLES } from '../labels.js';

export const CHANNELS = ['webhook', 'slack', 'mattermost', 'discord', 'matrix', 'ntfy', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Subscription {
  readonly channel: Channel;
  /** The endpoint: the webhook's, Slack's or Mattermost's incoming webhook, Discord's webhook, ntfy's topic URL. */
  readonly url?: string;
  /** Matrix: the homeserver's address and the room's id (`!abc:example.org`). */
  readonly homeserver?: string;
  readonly room?: string;
  /** Email: recipients, and whether each change is a mail or the day's changes are one. @default 'each' */
  readonly to?: readonly string[];
  readonly digest?: 'each' | 'daily';
  readonly services?: readonly string[];
  readonly types?: readonly string[];
  readonly labels?: readonly ChangeLabel[];
  /** The HMAC-SHA256 key that signs the body (X-Terms-Archive-Signature), read from the environment. */
  readonly secret?: string;
  /** Matrix's access token, or a bearer token for ntfy, read from the environment. */
  readonly token?: string;
}

export function matches(subscription: Subscription, version: IndexedVersion): boolean {
  return (
    version.kind !== 'upgrade' &&
    (subscription.services === undefined || subscription.services.includes(version.serviceId)) &&
    (subscription.types === undefined || subscription.types.includes(version.termsType)) &&
    (subscription.labels === undefined || subscription.labels.includes(version.label))
  );
}

/** An error in a subscription, naming where it is (`alerts[2].channel`). */
export class SubscriptionError extends Error {
  override name = 'SubscriptionError';
}

const isUrl = (value: unknown): value is string => typeof value === 'string' && /^https?:\/\/\S+$/.test(value);

function stringList(value: unknown, where: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every(item => typeof item === 'string' && item !== '')) throw new SubscriptionError(`${where}: expected a list of names`);
  return value as string[];
}

/** Subscriptions from a config value (a JSON array), secrets read from `env`; SubscriptionError names the field. */
export function parseSubscriptions(value: unknown, env: Readonly<Record<string, string | undefined>>, where = 'alerts'): Subscription[] {
  if (!Array.isArray(value)) throw new SubscriptionError(`${where}: expected a list of subscriptions`);
  return value.map((item: unknown, index) => {
    const at = `${where}[${String(index)}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new SubscriptionError(`${at}: expected an object`);
    const raw = item as Record<string, unknown>;
    const known = new Set(['channel', 'url', 'homeserver', 'room', 'to', 'digest', 'services', 'types', 'labels', 'secretEnv', 'tokenEnv']);
    for (const key of Object.keys(raw)) if (!known.has(key)) throw new SubscriptionError(`${at}.${key}: unknown field (known: ${[...known].join(', ')})`);
    const channel = raw.channel;
    if (typeof channel !== 'string' || !(CHANNELS as readonly string[]).includes(channel)) throw new SubscriptionError(`${at}.channel: expected one of ${CHANNELS.join(', ')}`);
    if (channel === 'email') {
      if (stringList(raw.to, `${at}.to`) === undefined) throw new SubscriptionError(`${at}.to: an email subscription needs recipients`);
      if (raw.digest !== undefined && raw.digest !== 'each' && raw.digest !== 'daily') throw new SubscriptionError(`${at}.digest: expected "each" or "daily"`);
    } else if (channel === 'matrix') {
      if (!isUrl(raw.homeserver)) throw new SubscriptionError(`${at}.homeserver: expected the homeserver's http(s) address`);
      if (typeof raw.room !== 'string' || !/^!\S+:\S+$/.test(raw.room)) throw new SubscriptionError(`${at}.room: expected a room id such as !abc:example.org`);
    } else if (!isUrl(raw.url)) throw new SubscriptionError(`${at}.url: expected an http(s) URL`);
    const labels = stringList(raw.labels, `${at}.labels`);
    for (const label of labels ?? []) if (!(label in LABEL_TITLES)) throw new SubscriptionError(`${at}.labels: "${label}" is not a label (${Object.keys(LABEL_TITLES).join(', ')})`);
    const fromEnv = (field: 'secretEnv' | 'tokenEnv'): string | undefined => {
      const name = raw[field];
      if (name === undefined) return undefined;
      if (typeof name !== 'string') throw new SubscriptionError(`${at}.${field}: expected the name of an environment variable`);
      if (!env[name]) throw new SubscriptionError(`${at}.${field}: the environment variable ${name} is not set`);
      return env[name];
    };
    const token = fromEnv('tokenEnv');
    const secret = fromEnv('secretEnv');
    const to = stringList(raw.to, `${at}.to`);
    const services = stringList(raw.services, `${at}.services`);
    const types = stringList(raw.types, `${at}.types`);
    if (channel === 'matrix' && token === undefined) throw new SubscriptionError(`${at}.tokenEnv: Matrix needs an access token, named by tokenEnv`);
    return {
      channel: channel as Channel,
      ...(typeof raw.url === 'string' && { url: raw.url }),
      ...(typeof raw.homeserver === 'string' && { homeserver: raw.homeserver.replace(/\/+$/, '') }),
      ...(typeof raw.room === 'string' && { room: raw.room }),
      ...(to !== undefined && { to }),
      ...(channel === 'email' && { digest: raw.digest === 'daily' ? 'daily' : 'each' }),
      ...(services !== undefined && { services }),
      ...(types !== undefined && { types }),
      ...(labels !== undefined && { labels: labels as ChangeLabel[] }),
      ...(secret !== undefined && { secret }),
      ...(token !== undefined && { token }),
    };
  });
}
