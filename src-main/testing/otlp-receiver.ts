/**
 * A loopback OTLP/HTTP trace receiver for tests: accepts POST /v1/traces on 127.0.0.1, decodes
 * each JSON body as an ExportTraceServiceRequest with the official definitions, and answers with
 * the statuses the test queues (200 once the queue is empty).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeExportRequestJson, spansOf, type DecodedSpan } from './otlp-proto';

export interface ReceivedExport {
  headers: IncomingHttpHeaders;
  spans: DecodedSpan[];
  problems: string[];
  status: number;
}

export interface OtlpReceiver {
  /** The base endpoint, as OTEL_EXPORTER_OTLP_ENDPOINT would name it. */
  readonly endpoint: string;
  readonly tracesUrl: string;
  readonly received: ReceivedExport[];
  /** Statuses for the next requests, in order (e.g. [503] for one retryable failure). */
  respondWith(statuses: number[]): void;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const received: ReceivedExport[] = [];
  const statuses: number[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = request.method === 'POST' && request.url === '/v1/traces' ? (statuses.shift() ?? 200) : 404;
      const { message, problems } = status === 404 ? { message: { resourceSpans: [] }, problems: ['wrong route'] } : decodeExportRequestJson(Buffer.concat(chunks).toString('utf8'));
      received.push({ headers: request.headers, spans: spansOf(message), problems, status });
      response.writeHead(status, { 'Content-Type': 'application/json', ...(status === 503 ? { 'Retry-After': '0' } : {}) });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    tracesUrl: `${endpoint}/v1/traces`,
    received,
    respondWith: (next) => statuses.push(...next),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
