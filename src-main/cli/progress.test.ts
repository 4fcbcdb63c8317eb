import { describe, expect, it } from 'vitest';
import { progressBar } from './progress';

/** A terminal-like stream that keeps what is written to it. */
function fakeTerminal(isTTY: boolean): { stream: NodeJS.WriteStream; output: () => string } {
  const chunks: string[] = [];
  const stream = {
    isTTY,
    columns: 120,
    write: (chunk: string) => chunks.push(String(chunk)) > 0,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    on: () => stream,
    removeListener: () => stream,
  } as unknown as NodeJS.WriteStream;
  return { stream, output: () => chunks.join('') };
}

describe('progressBar', () => {
  it('stays silent for work under a second, then draws done/total', () => {
    const clock = { now: 0 };
    const { stream, output } = fakeTerminal(true);
    const progress = progressBar('importing', 10, stream, () => clock.now);
    progress.update(3);
    expect(output()).toBe('');
    clock.now = 1_500;
    progress.update(5);
    progress.stop();
    expect(output()).toContain('importing');
    expect(output()).toContain('5/10');
  });

  it('takes a total learnt later, and draws nothing when the stream is not a terminal', () => {
    const clock = { now: 0 };
    const terminal = fakeTerminal(true);
    const late = progressBar('rows', 1, terminal.stream, () => clock.now);
    clock.now = 2_000;
    late.update(40, 80);
    late.stop();
    expect(terminal.output()).toContain('40/80');
    const piped = fakeTerminal(false);
    const silent = progressBar('rows', 10, piped.stream, () => clock.now);
    clock.now = 9_000;
    silent.update(9);
    silent.stop();
    expect(piped.output()).toBe('');
  });
});
