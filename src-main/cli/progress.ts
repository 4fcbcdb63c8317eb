/**
 * A terminal progress bar (cli-progress) for CLI work that may take a while: it appears only once
 * the work has run for a second, so quick runs print nothing extra, and only on a terminal.
 */
import cliProgress from 'cli-progress';

const SHOW_AFTER_MS = 1_000;

export interface Progress {
  /** `done` units finished (of `total`, when the total became known only later). */
  update(done: number, total?: number): void;
  stop(): void;
}

export function progressBar(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = () => performance.now(),
): Progress {
  const started = now();
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(done, newTotal) {
      if (newTotal !== undefined) total = newTotal;
      if (!bar) {
        if (now() - started < SHOW_AFTER_MS || !stream.isTTY) return;
        bar = new cliProgress.SingleBar(
          { format: `${label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`, stream, hideCursor: true, synchronousUpdate: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done);
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}
