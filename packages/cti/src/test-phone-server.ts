/**
 * A tiny stand-in for a GRP26xx phone in unit tests: a real node:http (or https) server on port 0
 * that answers canned responses per CTI function and records every request it receives. Real HTTP
 * rather than a mocked fetch, so encoding, content types and timeouts are tested end to end.
 * The full simulator (@linedeck/phone-sim) will replace it in integration tests.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface CannedResponse {
  status?: number;
  contentType?: string;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** Extra response headers (e.g. `location` for a redirect). */
  headers?: Record<string, string>;
  /** Never answer (the socket stays open until close()). */
  hang?: boolean;
  /** Destroy the connection instead of answering (a phone going down for REBOOT). */
  drop?: boolean;
  /** Stream a 200 body without end, until the client hangs up. */
  endless?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** The CTI function, e.g. `api-make_call`. */
  fn: string;
  /** The raw query string, exactly as it arrived on the wire. */
  rawQuery: string;
  query: URLSearchParams;
}

export interface TestPhone {
  /** `127.0.0.1:<port>` (or `https://127.0.0.1:<port>`). */
  host: string;
  port: number;
  requests: RecordedRequest[];
  /** Body bytes written by `endless` answers so far. */
  readonly endlessBytes: number;
  /** Sets the answer for a function (or `*` for every function without its own). */
  respond(fn: string, response: CannedResponse): void;
  close(): Promise<void>;
}

/**
 * Self-signed certificate for 127.0.0.1, made for these tests only (openssl, EC P-256, 100 years).
 * It protects nothing: it exists so the `allowSelfSigned` path can be tested against a real TLS server.
 */
const TEST_TLS = {
  key: `
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgpETMeo7jhp/VaGm2
wKwyoQPQ7cCP2BREp4i+Gqe2lq2hRANCAATxFJYLkD4xI3Pk2ovB4l2m/xS4/twk
LbDd7XrE+Syj6NYdlR9ketQ5vhBwTug++c47U+BcjmVI5YTIiL1Rw8YN
-----END PRIVATE KEY-----
`,
  cert: `
-----BEGIN CERTIFICATE-----
MIIBpDCCAUqgAwIBAgIUUXczuloaFhfCo6gsHpPjt4utH1IwCgYIKoZIzj0EAwIw
HjEcMBoGA1UEAwwTbGluZWRlY2stdGVzdC1waG9uZTAgFw0yNjExMjUxMjQ0Mzda
GA8yMTI2MTEwMTEyNDQzN1owHjEcMBoGA1UEAwwTbGluZWRlY2stdGVzdC1waG9u
ZTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABPEUlguQPjEjc+Tai8HiXab/FLj+
3CQtsN3tesT5LKPo1h2VH2R61Dm+EHBO6D75zjtT4FyOZUjlhMiIvVHDxg2jZDBi
MB0GA1UdDgQWBBQ607hHOhOhVvfpoo7Emi7rkSpyojAfBgNVHSMEGDAWgBQ607hH
OhOhVvfpoo7Emi7rkSpyojAPBgNVHRMBAf8EBTADAQH/MA8GA1UdEQQIMAaHBH8A
AAEwCgYIKoZIzj0EAwIDSAAwRQIhAMMqakLwYrl+iktpcrOybk3xQfLUfF5vC7QY
x0bHlEV2AiBcEGNCaPf6pTGjxTfsItrlt6JRHsXShIe2nMYmqdhImA==
-----END CERTIFICATE-----
`,
};

export async function startTestPhone(
  responses: Record<string, CannedResponse> = {},
  options: { tls?: boolean } = {},
): Promise<TestPhone> {
  const table = new Map(Object.entries(responses));
  const requests: RecordedRequest[] = [];
  let endlessBytes = 0;

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const rawQuery = q === -1 ? '' : url.slice(q + 1);
    const fn = path.replace(/^\/cgi-bin\//, '');
    requests.push({ method: req.method ?? '', fn, rawQuery, query: new URLSearchParams(rawQuery) });
    const canned = table.get(fn) ?? table.get('*');
    if (!canned) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>404 Not Found</body></html>');
      return;
    }
    if (canned.hang) return;
    if (canned.drop) {
      req.socket.destroy();
      return;
    }
    if (canned.endless) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"response":"success","body":"');
      const chunk = 'x'.repeat(16 * 1024);
      // Write on drain only, so the bytes counted are bytes the client actually took.
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) endlessBytes += chunk.length;
        if (!res.destroyed) endlessBytes += chunk.length;
      };
      res.on('drain', pump);
      pump();
      return;
    }
    const body = typeof canned.body === 'string' ? canned.body : JSON.stringify(canned.body ?? '');
    res
      .writeHead(canned.status ?? 200, {
        'content-type': canned.contentType ?? 'application/json',
        ...canned.headers,
      })
      .end(body);
  };

  const server = options.tls
    ? https.createServer({ key: TEST_TLS.key.trim(), cert: TEST_TLS.cert.trim() }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    host: options.tls ? `https://127.0.0.1:${port}` : `127.0.0.1:${port}`,
    port,
    requests,
    get endlessBytes() {
      return endlessBytes;
    },
    respond(fn, response) {
      table.set(fn, response);
    },
    close() {
      return new Promise<void>((resolve) => {
        // Hanging requests keep their sockets open; drop them so close() does not wait forever.
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

/** A `127.0.0.1:<port>` nobody listens on: bound once to get a free port, then closed. */
export async function closedPortHost(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `127.0.0.1:${port}`;
}

/** `{"response":"success","body":...}` plus extra fields. */
export function success(body: unknown, extra: Record<string, unknown> = {}): CannedResponse {
  return { body: { response: 'success', body, ...extra } };
}

export function failure(body: unknown): CannedResponse {
  return { body: { response: 'error', body } };
}
