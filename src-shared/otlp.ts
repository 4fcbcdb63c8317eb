/**
 * The OpenTelemetry parts of the IPC contract: what an OTLP export covers, and the live export's
 * counters that system.status reports.
 */
import { z } from 'zod';
import { UuidSchema } from './job';
import { Rfc3339Schema } from './time';

/** Exactly one scope: a job, a trace, or the jobs with Flight Recorder events between from and to. */
export const OtlpExportScopeSchema = z
  .strictObject({
    job_id: UuidSchema.optional(),
    trace_id: UuidSchema.optional(),
    from: Rfc3339Schema.optional(),
    to: Rfc3339Schema.optional(),
  })
  .superRefine((scope, ctx) => {
    const scopes = [scope.job_id, scope.trace_id, scope.from ?? scope.to].filter((value) => value !== undefined).length;
    if (scopes !== 1) ctx.addIssue({ code: 'custom', message: 'give exactly one of job_id, trace_id, or from and to' });
    else if ((scope.from === undefined) !== (scope.to === undefined)) ctx.addIssue({ code: 'custom', message: 'a time range needs both from and to' });
  });

export const OtlpLiveStatusSchema = z.strictObject({
  /** Where spans go (no credentials, no query). */
  endpoint: z.string(),
  exported_spans: z.number().int().nonnegative(),
  /** Spans given up on: the collector was unreachable or refused them, or the queue was full. */
  dropped_spans: z.number().int().nonnegative(),
  queued_spans: z.number().int().nonnegative(),
  last_error: z.string().nullable(),
});
export type OtlpLiveStatus = z.infer<typeof OtlpLiveStatusSchema>;
