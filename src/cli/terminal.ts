// The process's output as commands use it. Two things a terminal and a pipe need: a reader that goes away
// (`| head -1`) ends our output quietly, without an EPIPE crash and without stopping the work; and on a terminal
// the progress line is cleared before a log line is printed, then drawn again below it.

export interface OutputStream {
  readonly isTTY?: boolean;
  write(text: string): boolean;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

export interface TerminalOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly write: (text: string) => void;
  /** Present when standard error is a terminal. */
  readonly progress?: (line: string) => void;
}

const CLEAR_LINE = '\r\u001b[2K';

export function createTerminalOutput(stdout: OutputStream, stderr: OutputStream): TerminalOutput {
  const closed = new Set<OutputStream>();
  for (const stream of [stdout, stderr]) {
    stream.on('error', error => {
      // the reader is gone: what is left to print has no one to read it (the work itself goes on)
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') closed.add(stream);
      else throw error;
    });
  }
  let progressLine = '';
  const send = (stream: OutputStream, text: string): void => {
    if (closed.has(stream)) return;
    // a progress line on the terminal is cleared first, and drawn again after
    const isShared = progressLine !== '' && stream.isTTY === true;
    if (isShared && !closed.has(stderr)) stderr.write(CLEAR_LINE);
    stream.write(text);
    if (isShared && !closed.has(stderr)) stderr.write(progressLine);
  };
  return {
    out: line => { send(stdout, `${line}\n`); },
    err: line => { send(stderr, `${line}\n`); },
    write: text => { send(stdout, text); },
    ...(stderr.isTTY === true && {
      progress: (line: string) => {
        progressLine = line;
        if (!closed.has(stderr)) stderr.write(`${CLEAR_LINE}${line}`);
      },
    }),
  };
}
