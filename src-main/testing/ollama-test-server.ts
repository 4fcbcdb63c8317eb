/**
 * For tests: a small HTTP server on 127.0.0.1 that answers Ollama's /api/tags and /api/generate
 * JSON, so the Ollama runtime is exercised over a real socket without Ollama installed.
 * A prompt containing HANG gets no answer until the client gives up (for timeout/cancel tests).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeOllama {
  url: string;
  requests: Array<{ path: string; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startFakeOllama(models: string[] = ['tiny:latest']): Promise<FakeOllama> {
  const requests: FakeOllama['requests'] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      requests.push({ path: req.url ?? '', body });
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (req.url === '/api/tags') return send(200, { models: models.map((name) => ({ name, size: 1 })) });
      if (req.url !== '/api/generate') return send(404, { error: 'not found' });
      const model = String(body.model);
      if (!models.includes(model) && !models.includes(`${model}:latest`)) {
        return send(404, { error: `model '${model}' not found, try pulling it first` });
      }
      const prompt = String(body.prompt);
      if (prompt.includes('HANG')) return; // never answers
      const limit = Number((body.options as { num_predict?: number } | undefined)?.num_predict ?? 128);
      const evalCount = Math.min(limit, 5);
      return send(200, {
        model,
        created_at: new Date().toISOString(),
        response: 'A short summary.',
        done: true,
        done_reason: limit < 5 ? 'length' : 'stop',
        prompt_eval_count: 11,
        eval_count: evalCount,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bind, note the port, close. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
