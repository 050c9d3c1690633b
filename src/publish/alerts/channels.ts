// Each channel's message for one version, in the payload format its receiver expects: our JSON for a plain webhook,
// Slack's and Mattermost's incoming webhooks ({text}, their own link markup), Discord's webhook ({content, embeds}),
// Matrix's client-server API (an m.room.message event PUT with a transaction id), and ntfy's publish (plain text with
// Title, Click and Tags headers). Every body is signed with HMAC-SHA256 when the subscription has a secret.
import { createHmac } from 'node:crypto';

import type { IndexedVersion } from '../history-index.js';
import { LABEL_TITLES } from '../labels.js';
import type { Subscription } from './subscription.js';

export interface AlertRequest {
  readonly method: 'POST' | 'PUT';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The header carrying `sha256=<hex>`: HMAC-SHA256 of the raw body with the subscription's secret. */
export const SIGNATURE_HEADER = 'X-Terms-Archive-Signature';

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** What a person reads first: `Acme Terms of Service: substantive change`. */
function headline(version: IndexedVersion): string {
  return `${version.serviceId} ${version.termsType}: ${version.kind === 'first' ? 'first record' : `${LABEL_TITLES[version.label].toLowerCase()} change`}`;
}

function cut(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** The webhook's own JSON (docs/operating.md), the same as before subscriptions existed, with the page's link. */
export function webhookPayload(version: IndexedVersion, link: string | undefined): Record<string, unknown> {
  return {
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
    ...(link !== undefined && { url: link }),
  };
}

/** The request that tells `subscription` of `version`; `link` is the change's page, when the instance has a public URL. */
export function alertRequest(subscription: Subscription, version: IndexedVersion, link: string | undefined): AlertRequest {
  const title = headline(version);
  const summary = cut(version.summary, 1500);
  const json = (value: unknown): { body: string; headers: Record<string, string> } => ({ body: JSON.stringify(value), headers: { 'Content-Type': 'application/json' } });
  let request: Omit<AlertRequest, 'headers'> & { headers: Record<string, string> };
  switch (subscription.channel) {
    case 'slack':
      request = { method: 'POST', url: subscription.url ?? '', ...json({ text: `*${link === undefined ? title : `<${link}|${title}>`}*\n${summary}` }) };
      break;
    case 'mattermost':
      request = { method: 'POST', url: subscription.url ?? '', ...json({ text: `**${link === undefined ? title : `[${title}](${link})`}**\n${summary}` }) };
      break;
    case 'discord':
      request = { method: 'POST', url: subscription.url ?? '', ...json({ content: cut(title, 2000), embeds: [{ title: cut(title, 256), description: cut(summary, 4096), ...(link !== undefined && { url: link }), timestamp: version.fetchDate }] }) };
      break;
    case 'matrix': {
      const text = `${title}\n${summary}${link === undefined ? '' : `\n${link}`}`;
      const html = `<strong>${escape(title)}</strong><br>${escape(summary)}${link === undefined ? '' : `<br><a href="${escape(link)}">${escape(link)}</a>`}`;
      // the version id is the transaction id: a retry of the same alert is the same event, never a second message
      const url = `${subscription.homeserver ?? ''}/_matrix/client/v3/rooms/${encodeURIComponent(subscription.room ?? '')}/send/m.room.message/${version.id}`;
      request = { method: 'PUT', url, ...json({ msgtype: 'm.text', body: text, format: 'org.matrix.custom.html', formatted_body: html }) };
      request.headers.Authorization = `Bearer ${subscription.token ?? ''}`;
      break;
    }
    case 'ntfy':
      request = {
        method: 'POST',
        url: subscription.url ?? '',
        body: summary,
        // header values are ASCII: the title is sent RFC 2047-encoded, which ntfy decodes
        headers: { 'Content-Type': 'text/plain; charset=utf-8', Title: `=?UTF-8?B?${Buffer.from(title).toString('base64')}?=`, Tags: version.label === 'substantive' ? 'warning' : 'page_facing_up', ...(link !== undefined && { Click: link }) },
      };
      if (subscription.token !== undefined) request.headers.Authorization = `Bearer ${subscription.token}`;
      break;
    default:
      request = { method: 'POST', url: subscription.url ?? '', ...json(webhookPayload(version, link)) };
  }
  request.headers['User-Agent'] = 'terms-archive-alerts';
  if (subscription.secret !== undefined) request.headers[SIGNATURE_HEADER] = signature(subscription.secret, request.body);
  return request;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
