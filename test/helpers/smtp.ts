// A real SMTP server on 127.0.0.1 (the smtp-server package) that asks for a login and keeps what it receives.
import type { AddressInfo } from 'node:net';

import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly from: string;
  readonly to: string[];
  /** The message as sent: headers, then the body (quoted-printable as the client wrote it). */
  readonly data: string;
}

export interface TestSmtp {
  readonly port: number;
  readonly received: ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtp(user: string, password: string): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const smtp = new SMTPServer({
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth: (auth, _session, callback) => {
      if (auth.username === user && auth.password === password) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData: (stream, session, callback) => {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
      stream.on('end', () => {
        received.push({ from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address, to: session.envelope.rcptTo.map(rcpt => rcpt.address), data });
        callback();
      });
    },
  });
  await new Promise<void>(resolve => smtp.listen(0, '127.0.0.1', () => { resolve(); }));
  return {
    port: (smtp.server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>(resolve => { smtp.close(() => { resolve(); }); }),
  };
}

/** A message's text as written: quoted-printable soft breaks and escapes undone. */
export function decoded(data: string | undefined): string {
  const bytes = (data ?? '').replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
