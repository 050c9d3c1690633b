// The alerts of a tracking process: the `alerts` subscriptions and the plain `webhooks` URLs (subscriptions to every
// change), their secrets read from the environment at start-up. A subscription that cannot work (a missing field,
// an unset variable) stops the command before anything runs, naming the field (exit code 2).
import path from 'node:path';

import { AlertSender, parseSubscriptions, type Subscription, SubscriptionError } from '../publish/index.js';
import type { Config } from './config.js';
import { UsageError } from './errors.js';
import type { CliContext } from './setup.js';

export function alertSender(config: Config, context: CliContext): AlertSender {
  let subscriptions: Subscription[];
  try {
    subscriptions = parseSubscriptions(config.alerts, context.env);
  } catch (error) {
    if (error instanceof SubscriptionError) throw new UsageError(error.message);
    throw error;
  }
  const base = config.publicUrl?.replace(/\/+$/, '');
  return new AlertSender({
    subscriptions: [...config.webhooks.map(url => ({ channel: 'webhook' as const, url })), ...subscriptions],
    ...(base !== undefined && { link: version => `${base}/changes/${encodeURIComponent(version.serviceId)}/${encodeURIComponent(version.termsType)}/${version.id}` }),
    smtp: { host: config.smtpHost, port: config.smtpPort, secure: config.smtpSecure, user: context.env.TERMS_ARCHIVE_SMTP_USER || undefined, password: context.env.TERMS_ARCHIVE_SMTP_PASSWORD || undefined },
    from: config.emailFrom ?? config.authorEmail,
    digestFile: path.join(path.dirname(config.statusFile), 'alerts-digest.json'),
    onFailure: (target, version, reason) => {
      context.err(`Alert to ${target} was not sent${version === undefined ? '' : ` for ${version.serviceId} ${version.termsType} (${version.id})`}: ${reason}`);
    },
  });
}
