import { describe, expect, it } from 'vitest';

import { createTerminalOutput, type OutputStream } from '../../../src/cli/terminal.js';

/** A stream that keeps what was written, and can fail like a pipe whose reader is gone. */
function fakeStream(isTTY: boolean): OutputStream & { text: string; breakPipe(): void } {
  let onError: ((error: NodeJS.ErrnoException) => void) | undefined;
  const stream = {
    isTTY,
    text: '',
    write(chunk: string): boolean {
      stream.text += chunk;
      return true;
    },
    on(_event: 'error', listener: (error: NodeJS.ErrnoException) => void) {
      onError = listener;
      return stream;
    },
    breakPipe() {
      onError?.(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    },
  };
  return stream;
}

const CLEAR = '\r\u001b[2K';

describe('terminal output', () => {
  it('clears the progress line before a log line and draws it again below', () => {
    const stdout = fakeStream(true);
    const stderr = fakeStream(true);
    const output = createTerminalOutput(stdout, stderr);
    output.progress?.('tracking 1/4');
    output.out('Recorded snapshot');
    output.err('Inaccessible');
    expect(stdout.text).toBe('Recorded snapshot\n');
    expect(stderr.text).toBe(`${CLEAR}tracking 1/4${CLEAR}tracking 1/4${CLEAR}Inaccessible\ntracking 1/4`);
    output.progress?.('');
    output.out('Summary');
    expect(stdout.text).toBe('Recorded snapshot\nSummary\n');
  });

  it('has no progress line when standard error is not a terminal, and never redraws one into a pipe', () => {
    const stdout = fakeStream(false);
    const stderr = fakeStream(false);
    const output = createTerminalOutput(stdout, stderr);
    expect(output.progress).toBeUndefined();
    output.out('line');
    expect([stdout.text, stderr.text]).toEqual(['line\n', '']);
  });

  it('stops writing to a stream whose reader went away, and goes on with the other', () => {
    const stdout = fakeStream(false);
    const stderr = fakeStream(false);
    const output = createTerminalOutput(stdout, stderr);
    output.out('first');
    stdout.breakPipe();
    output.out('second');
    output.err('still told');
    expect([stdout.text, stderr.text]).toEqual(['first\n', 'still told\n']);
  });
});
