/** Helpers for the HTTP tests: CTI and control calls against a running simulated phone. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import type { PhoneOptions } from './options.ts';
import type { SimPhone } from './phone.ts';
import { startPhone } from './phone.ts';

/**
 * A `phone(options)` factory for one test file: every phone it starts is closed after each test, so a
 * failing test never leaves a port open for the next.
 */
export function usePhones(): (options?: PhoneOptions) => Promise<SimPhone> {
  const started: SimPhone[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((p) => p.close()));
  });
  return async (options = {}) => {
    const p = await startPhone(options);
    started.push(p);
    return p;
  };
}

/**
 * Receivers of a phone's Action URL pushes, like LineDeck's /hooks/action-url: each records the request
 * target of every push (path and query). Closed after each test.
 */
export function usePushReceivers(): () => Promise<{ base: string; hits: string[] }> {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  return async () => {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
  };
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers loosely, as a lenient client does.
  json: any;
}

/** A fetch response read the way the tests look at phone answers: text, and JSON when it parses. */
export async function readAnswer(res: Response): Promise<Answer & { headers: Headers }> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    text,
    json,
    headers: res.headers,
  };
}

export async function get(url: string): Promise<Answer> {
  return readAnswer(await fetch(url));
}

export function cti(
  phone: SimPhone,
  fn: string,
  params: Record<string, string> = {},
  passcode: string | null = 'admin',
): Promise<Answer> {
  const query = new URLSearchParams(passcode === null ? params : { passcode, ...params });
  return get(`${phone.url}/cgi-bin/${fn}?${query}`);
}

export async function control(
  phone: SimPhone,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  const res = await fetch(`${phone.url}/sim/${path}`, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    text,
    json: JSON.parse(text),
  };
}

export async function lineStates(phone: SimPhone): Promise<string[]> {
  const answer = await cti(phone, 'api-get_line_status');
  return answer.json.body.map((l: { state: string }) => l.state);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` is true or `ms` pass. */
export async function waitFor(check: () => boolean, ms = 1000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}
