/** The traces.export_otlp channel's scope as an export scope, and the file it is written to. */
import type { ChannelParsedInput } from '../../src-shared/ipc';
import { parseRfc3339, toRfc3339 } from '../../src-shared/time';
import type { OtlpScope } from './otlp-export';

/** The channel's schema has already made sure exactly one scope is given. */
export function otlpScopeOf(input: ChannelParsedInput<'traces.export_otlp'>): OtlpScope {
  if (input.job_id) return { job_id: input.job_id };
  if (input.trace_id) return { trace_id: input.trace_id };
  return { from: parseRfc3339(input.from ?? '') ?? 0, to: parseRfc3339(input.to ?? '') ?? 0 };
}

/** Stable per scope, so exporting the same job again replaces its file with the same content. */
export function otlpExportFileName(scope: OtlpScope): string {
  if ('job_id' in scope) return `job-${scope.job_id}.otlp.jsonl`;
  if ('trace_id' in scope) return `trace-${scope.trace_id}.otlp.jsonl`;
  const stamp = (epochMs: number) => toRfc3339(epochMs).replaceAll(':', '');
  return `range-${stamp(scope.from)}-${stamp(scope.to)}.otlp.jsonl`;
}
