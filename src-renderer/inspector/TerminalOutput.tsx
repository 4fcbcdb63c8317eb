/**
 * A terminal_exec job's captured output (jobs.terminal_output): the tail of stdout or stderr,
 * secrets masked, followed live while the command runs.
 */
import { useEffect, useRef, useState } from 'react';
import type { TerminalOutput as Output, TerminalStream } from '../../src-shared/inspector';
import { TERMINAL_STREAMS } from '../../src-shared/inspector';
import { useApi } from '../api/ApiContext';
import type { ClientError } from '../api/records';
import { formatNumber } from '../lib/time';

const LIVE_POLL_MS = 1_000;

function useTerminalOutput(jobId: string, stream: TerminalStream, jobVersion: string) {
  const api = useApi();
  const [output, setOutput] = useState<Output | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let current = true;
    void api['jobs.terminal_output']({ job_id: jobId, stream }).then((result) => {
      if (!current) return;
      if (result.ok) {
        setOutput(result.data);
        setError(null);
      } else setError(result.error);
    });
    return () => {
      current = false;
    };
  }, [api, jobId, stream, jobVersion, tick]);
  // While the command runs its files grow without a push: read the tail again every second.
  const live = output?.live ?? false;
  useEffect(() => {
    if (!live) return;
    const timer = window.setTimeout(() => setTick((value) => value + 1), LIVE_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [live, output]);
  return { output: output?.stream === stream && output.job_id === jobId ? output : null, error };
}

function describe(output: Output): string {
  if (output.node_execution_id === null) return 'The command has not started yet.';
  const size = `${formatNumber(output.size_bytes)} bytes`;
  const part = output.from_byte > 0 ? `the last ${formatNumber(output.size_bytes - output.from_byte)} of ${size}` : size;
  const masked = output.redacted_count > 0 ? `; ${output.redacted_count} secret value${output.redacted_count === 1 ? '' : 's'} masked` : '';
  return `${output.live ? 'Live: ' : ''}${part}${masked}`;
}

export function TerminalOutput({ jobId, jobVersion }: { jobId: string; jobVersion: string }) {
  const [stream, setStream] = useState<TerminalStream>('stdout');
  const { output, error } = useTerminalOutput(jobId, stream, jobVersion);
  const pre = useRef<HTMLPreElement>(null);
  // Stay at the end as the output grows, unless the person scrolled up to read.
  useEffect(() => {
    const element = pre.current;
    if (element && element.scrollHeight - element.scrollTop - element.clientHeight < 48) element.scrollTop = element.scrollHeight;
  }, [output?.text]);
  return (
    <section className="payload terminal-output" aria-label="Terminal output" data-testid="terminal-output">
      <h3>Terminal output</h3>
      <div className="toolbar terminal-toolbar">
        <div className="segmented" role="group" aria-label="Stream">
          {TERMINAL_STREAMS.map((name) => (
            <button key={name} type="button" aria-pressed={stream === name} onClick={() => setStream(name)} data-testid={`terminal-${name}`}>
              {name}
            </button>
          ))}
        </div>
        <span className={output?.live ? 'live-dot' : 'muted'} data-testid="terminal-status" data-live={String(output?.live ?? false)}>
          {output ? describe(output) : error ? '' : 'Loading…'}
        </span>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error.message} <code>{error.code}</code>
        </p>
      ) : (
        <pre ref={pre} className="terminal-text" tabIndex={0} aria-label={`${stream} of the command`} data-testid="terminal-text">
          {output && output.text === '' && output.node_execution_id !== null ? <span className="muted">(nothing written to {stream})</span> : output?.text}
        </pre>
      )}
    </section>
  );
}
