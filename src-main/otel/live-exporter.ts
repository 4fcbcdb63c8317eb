/**
 * Live export, off by default: once a job has finished, its spans go to an OTLP/HTTP collector
 * through @opentelemetry/exporter-trace-otlp-http, batched by the SDK's BatchSpanProcessor, retried
 * with backoff by the exporter's own transport. Nothing here can block or fail a job: spans are
 * built after the job's final state is committed, on a later turn of the event loop, and every
 * failure (an unreachable collector, a full queue, a store read that throws) only counts the spans
 * as dropped, which system.status reports.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import type { OtlpLiveStatus } from '../../src-shared/otlp';
import { Redactor } from '../security/redact';
import { collectJobHistories, type HistorySource } from './otlp-export';
import { jobHistorySpans } from './spans';

export interface LiveExportOptions {
  /** The full OTLP/HTTP traces URL (…/v1/traces). OTEL_EXPORTER_OTLP_HEADERS are read by the exporter. */
  url: string;
  serviceVersion?: string;
  /** How long one export may take, retries included (default 10 s). */
  timeoutMillis?: number;
  /** How long spans wait to be batched (default 2 s). */
  scheduledDelayMillis?: number;
}

const MAX_QUEUED_SPANS = 4_096;
const DEFAULT_TIMEOUT_MS = 10_000;

/** Where to send, from `--otlp-endpoint` or the standard variables; null when live export is off. */
export function resolveOtlpTracesUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | null {
  const base = (value: string) => `${value.replace(/\/+$/, '')}/v1/traces`;
  const chosen = flag ? base(flag) : env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (env.OTEL_EXPORTER_OTLP_ENDPOINT ? base(env.OTEL_EXPORTER_OTLP_ENDPOINT) : null);
  if (chosen === null) return null;
  let url: URL;
  try {
    url = new URL(chosen);
  } catch {
    throw new Error(`the OTLP endpoint must be an http(s) URL, got ${JSON.stringify(flag ?? chosen)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`the OTLP endpoint must be an http(s) URL, got ${JSON.stringify(flag ?? chosen)}`);
  return url.toString();
}

/** The core option that turns live export on for a resolved URL (nothing when it is off). */
export function liveExportOption(url: string | null): { otlp?: { url: string } } {
  return url ? { otlp: { url } } : {};
}

/** The endpoint as shown in the status bar: no credentials, no query. */
function displayUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/** Counts what the real exporter delivered and what it gave up on. */
class CountingExporter implements SpanExporter {
  exported = 0;
  dropped = 0;
  lastError: string | null = null;

  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.exported += spans.length;
      else {
        this.dropped += spans.length;
        this.lastError = result.error?.message ?? 'export failed';
      }
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

export class LiveOtlpExporter {
  private readonly counter: CountingExporter;
  private readonly processor: BatchSpanProcessor;
  private readonly redactor = new Redactor();
  private handed = 0;
  private refused = 0;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly source: HistorySource,
    private readonly options: LiveExportOptions,
  ) {
    const timeoutMillis = options.timeoutMillis ?? DEFAULT_TIMEOUT_MS;
    this.counter = new CountingExporter(new OTLPTraceExporter({ url: options.url, timeoutMillis }));
    this.processor = new BatchSpanProcessor({
      exporter: this.counter,
      maxQueueSize: MAX_QUEUED_SPANS,
      scheduledDelayMillis: options.scheduledDelayMillis ?? 2_000,
      exportTimeoutMillis: timeoutMillis + 1_000,
    });
  }

  /** Called once a job's terminal state is committed; returns at once. */
  jobFinished(jobId: string): void {
    this.pending = this.pending.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(() => this.enqueue(jobId));
  }

  private enqueue(jobId: string): void {
    try {
      const { histories } = collectJobHistories(this.source, { job_id: jobId });
      for (const span of jobHistorySpans(histories, { redactor: this.redactor, serviceVersion: this.options.serviceVersion })) {
        if (this.queued() >= MAX_QUEUED_SPANS) {
          this.refused += 1;
          continue;
        }
        this.handed += 1;
        this.processor.onEnd(span);
      }
    } catch (error) {
      this.refused += 1;
      this.counter.lastError = `could not read job ${jobId}: ${(error as Error).message}`;
    }
  }

  private queued(): number {
    return this.handed - this.counter.exported - this.counter.dropped;
  }

  status(): OtlpLiveStatus {
    return {
      endpoint: displayUrl(this.options.url),
      exported_spans: this.counter.exported,
      dropped_spans: this.counter.dropped + this.refused,
      queued_spans: this.queued(),
      last_error: this.counter.lastError,
    };
  }

  /** Resolves once every finished job so far has been sent or counted as dropped. */
  async flush(): Promise<void> {
    await this.pending;
    // A failed export has already been counted as dropped; flushing must not fail for it.
    await this.processor.forceFlush().catch(() => undefined);
  }

  /** Flushes for at most `graceMs`; whatever is still queued then is dropped (and counted). */
  async shutdown(graceMs = 2_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([this.pending.then(() => this.processor.shutdown()), deadline]);
    clearTimeout(timer);
    this.refused += this.queued();
    this.handed -= this.queued();
  }
}
