// After a pass: the run report by email, to `emailTo`, when the pass needs a look (or always, with emailWhen
// "always"). SMTP credentials come from the environment only. A report that cannot be sent is one line on standard
// error: it never fails the run.
import { loadMetadata, runReport, sendEmail, type TrackingStatus } from '../publish/index.js';
import type { Config } from './config.js';
import type { CliContext } from './setup.js';

export async function mailReport(status: TrackingStatus, config: Config, context: CliContext): Promise<void> {
  if (config.emailTo.length === 0 || (config.emailWhen === 'problems' && status.problems.length === 0)) return;
  try {
    const { name } = await loadMetadata(config.collectionDir).catch(() => ({ name: 'terms-archive' }));
    await sendEmail(
      { host: config.smtpHost, port: config.smtpPort, secure: config.smtpSecure, user: context.env.TERMS_ARCHIVE_SMTP_USER || undefined, password: context.env.TERMS_ARCHIVE_SMTP_PASSWORD || undefined },
      { ...runReport(status, name), from: config.emailFrom ?? config.authorEmail, to: config.emailTo },
    );
  } catch (error) {
    context.err(`The run report was not emailed to ${config.emailTo.join(', ')}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
