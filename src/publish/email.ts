// The run report by email: after a pass, its figures and what needs a person, to the operators, through their SMTP
// server (nodemailer). Sent only when something needs a look, unless asked for after every pass; a mail that cannot
// be sent is logged and never fails the run.
import { createTransport } from 'nodemailer';

import type { TrackingStatus } from './health.js';

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  readonly secure: boolean;
  /** From the environment only. */
  readonly user?: string | undefined;
  readonly password?: string | undefined;
}

export interface RunReport {
  readonly subject: string;
  readonly text: string;
}

/** The subject and body of the report of one pass of a collection. */
export function runReport(status: TrackingStatus, collection: string): RunReport {
  const pass = status.lastPass;
  const figures = `${String(pass.versionsRecorded)} versions and ${String(pass.snapshotsRecorded)} snapshots recorded, ${String(pass.inaccessible)} of ${String(pass.terms)} terms inaccessible, ${String(pass.held)} held`;
  const subject = status.problems.length > 0 ? `[${collection}] ${status.problems.length === 1 ? '1 problem' : `${String(status.problems.length)} problems`}: ${status.problems[0] ?? ''}` : `[${collection}] ${pass.kind} pass: ${figures}`;
  const lines = [
    `${pass.kind === 'tracking' ? 'Tracking' : 'Technical upgrade'} pass of ${collection}, ended ${status.updatedAt} after ${(pass.durationMs / 1000).toFixed(1)} s:`,
    `${figures}; ${String(pass.unconfirmed)} changes seen once and not confirmed.`,
    '',
    ...(status.problems.length > 0 ? ['Needs a look:', ...status.problems.map(problem => `- ${problem}`), ''] : ['Nothing needs a look.', '']),
    ...(pass.failures.length > 0 ? ['Inaccessible:', ...pass.failures.map(failure => `- ${failure.serviceId} · ${failure.termsType}: ${failure.reason}`), ''] : []),
    ...Object.entries(status.publishing).map(([name, state]) => `${name}: ${state.isPublished ? `published at ${state.at}` : `not published (${state.message ?? ''})`}`),
  ];
  return { subject: subject.length > 200 ? `${subject.slice(0, 199)}…` : subject, text: `${lines.join('\n').trimEnd()}\n` };
}

/** Sends one message; rejects with the server's answer when it cannot. */
export async function sendEmail(smtp: SmtpSettings, message: RunReport & { readonly from: string; readonly to: readonly string[] }): Promise<void> {
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user !== undefined && { auth: { user: smtp.user, pass: smtp.password ?? '' } }),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  try {
    await transport.sendMail({ from: message.from, to: [...message.to], subject: message.subject, text: message.text });
  } finally {
    transport.close();
  }
}
