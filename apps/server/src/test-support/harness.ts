/**
 * Integration test harness: the REAL server (startServer: store, pollers,
 * Express, SSE, passthrough) on port 0 with a temp DATA_DIR, talking over HTTP
 * to REAL simulated phones. It keeps every response body and log line so a
 * test can prove no passcode ever left the server.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { CallEvent } from '@linedeck/contract';
import { type PhoneOptions, type SimPhone, startPhone } from '@linedeck/phone-sim';
import { expect } from 'vitest';
import type { Config } from '../config.ts';
import { createLogger } from '../logger.ts';
import { type RunningServer, type StartOptions, startServer } from '../server.ts';
import { testDatabase } from './test-database.ts';

export interface TestPhoneSpec extends PhoneOptions {
  name: string;
  /** The passcode LineDeck is given (defaults to the phone's admin passcode). */
  passcode?: string;
}

export interface TestPhone {
  id: string;
  name: string;
  sim: SimPhone;
  passcode: string;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: T;
}

export interface Harness {
  server: RunningServer;
  url: string;
  phones: TestPhone[];
  logLines: string[];
  responses: string[];
  /** Every passcode in play (phones' admin and user passcodes, passcodes sent in requests). */
  secrets: Set<string>;
  /** A request as the harness's admin; `headers` are added to (or override) the usual ones. */
  api<T = unknown>(
    method: string,
    urlPath: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<T>>;
  /** A raw GET with the path exactly as given (no URL normalization: `..` and `%2e` stay as sent). */
  raw(urlPath: string, method?: string): Promise<ApiResponse<string>>;
  addPhone(spec: TestPhoneSpec): Promise<TestPhone>;
  /** A phone added by name (throws when there is none). */
  phone(name: string): TestPhone;
  expectNoSecrets(): void;
  /** Cookie and Origin of the harness's admin session, for requests made by hand (openSse). */
  authHeaders(): Record<string, string>;
  /**
   * Stops the server as production stops it and starts it again on the same port, database and phones
   * (a restart); signs the admin in again. `whileStopped` runs between the two (a call ends meanwhile).
   */
  restart(whileStopped?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

export function uniquePasscode(label = 'pc'): string {
  counter++;
  return `${label}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 10)}`;
}

export async function startHarness(
  specs: TestPhoneSpec[],
  options: StartOptions & { pollIntervalMs?: number; ctiTimeoutMs?: number; config?: Partial<Config> } = {},
): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-it-'));
  // The project's database (SQLite in dataDir, or a fresh Postgres database), unless the test names one.
  const database = options.config?.databaseUrl ? undefined : await testDatabase();
  const logLines: string[] = [];
  const responses: string[] = [];
  const secrets = new Set<string>();
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  // Sign-in is real: the harness signs in as the first admin and sends its cookie (and a same-origin
  // Origin) with every request. Tests of roles and anonymous access use their own clients (users/*.test.ts).
  const adminPassword = options.config?.adminPassword ?? uniquePasscode('admin-password');
  secrets.add(adminPassword);
  let sessionCookie = '';
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    databaseUrl: database?.databaseUrl,
    simulatedPhones: 0,
    pollIntervalMs: options.pollIntervalMs ?? 50,
    ctiTimeoutMs: options.ctiTimeoutMs ?? 400,
    logLevel: 'debug',
    phonesFile: undefined,
    secret: undefined,
    adminPassword,
    trustProxy: undefined,
    ...options.config,
  };
  let server = await startServer(config, {
    logger,
    webDist: null,
    poller: { maxBackoffMs: 400, accountsIntervalMs: 30_000 },
    ...options,
  });
  const sims: SimPhone[] = [];

  async function request(
    method: string,
    urlPath: string,
    body?: unknown,
    extraHeaders?: Record<string, string>,
  ) {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<ApiResponse<unknown>>((resolve, reject) => {
      const req = http.request(
        `${server.url}${urlPath}`,
        {
          method,
          headers: {
            ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
            ...(sessionCookie ? { cookie: sessionCookie, origin: server.url } : {}),
            ...extraHeaders,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => {
            text += d;
          });
          res.on('end', () => {
            responses.push(text);
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // Not JSON: keep the text.
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
          });
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  const harness: Harness = {
    server,
    url: server.url,
    phones: [],
    logLines,
    responses,
    secrets,
    api: (method, urlPath, body, headers) =>
      request(method, urlPath, body, headers) as Promise<ApiResponse<never>>,
    raw: (urlPath, method = 'GET') =>
      new Promise((resolve, reject) => {
        // http.request with `path` sends the path byte for byte; fetch() would resolve `..` first.
        const address = new URL(server.url);
        const req = http.request(
          {
            host: address.hostname,
            port: address.port,
            path: urlPath,
            method,
            headers: sessionCookie ? { cookie: sessionCookie, origin: server.url } : {},
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => {
              text += d;
            });
            res.on('end', () => {
              responses.push(text);
              let body: unknown = text;
              try {
                body = JSON.parse(text);
              } catch {
                // raw text
              }
              resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: body as string });
            });
          },
        );
        req.on('error', reject);
        req.end();
      }),
    async addPhone(spec) {
      const admin = spec.adminPasscode ?? uniquePasscode('admin');
      const user = spec.userPasscode ?? uniquePasscode('user');
      const sim = await startPhone({ ...spec, port: 0, adminPasscode: admin, userPasscode: user });
      sims.push(sim);
      const passcode = spec.passcode ?? admin;
      secrets.add(admin);
      secrets.add(user);
      secrets.add(passcode);
      const res = await request('POST', '/api/phones', {
        name: spec.name,
        host: sim.host,
        passcode,
        ...(spec.model ? { model: spec.model } : {}),
      });
      expect(res.status, res.text).toBe(201);
      const phone = { id: (res.body as { id: string }).id, name: spec.name, sim, passcode };
      harness.phones.push(phone);
      return phone;
    },
    phone(name) {
      const found = harness.phones.find((p) => p.name === name);
      if (!found) throw new Error(`No test phone named ${name}`);
      return found;
    },
    expectNoSecrets() {
      const haystacks = [...responses, ...logLines];
      expect(haystacks.length).toBeGreaterThan(0);
      for (const secret of secrets) {
        const forms = new Set([secret, encodeURIComponent(secret)]);
        for (const text of haystacks) {
          for (const form of forms) {
            if (text.includes(form)) throw new Error(`A passcode leaked into: ${text.slice(0, 300)}`);
          }
        }
      }
    },
    authHeaders: (): Record<string, string> =>
      sessionCookie ? { cookie: sessionCookie, origin: server.url } : {},
    async restart(whileStopped) {
      const { port } = server;
      await server.close();
      await whileStopped?.();
      // Kept-alive sockets to the old server are gone: a request must not be sent down one.
      http.globalAgent.destroy();
      server = await startServer(
        { ...config, port },
        {
          logger,
          webDist: null,
          poller: { maxBackoffMs: 400, accountsIntervalMs: 30_000 },
          ...options,
        },
      );
      harness.server = server;
      if (server.users) {
        const again = await request('POST', '/api/session', { username: 'admin', password: adminPassword });
        expect(again.status, again.text).toBe(200);
        sessionCookie = String(again.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
      }
    },
    async close() {
      await server.close();
      await Promise.all(sims.map((s) => s.close()));
      await database?.release();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (server.users) {
    const signIn = await request('POST', '/api/session', { username: 'admin', password: adminPassword });
    expect(signIn.status, signIn.text).toBe(200);
    sessionCookie = String(signIn.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
  }
  for (const spec of specs) await harness.addPhone(spec);
  return harness;
}

/** Polls `check` until it returns a truthy value or the time is up. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 3000,
  stepMs = 20,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(
    `waitFor: condition not met within ${timeoutMs} ms (last: ${JSON.stringify(last)?.slice(0, 200)})`,
  );
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The CTI functions a simulated phone has seen, in order. */
export function functionsSeen(sim: SimPhone, fn?: string): string[] {
  const all = sim.requestLog().map((e) => e.function);
  return fn ? all.filter((f) => f === fn) : all;
}

export interface SseFrame {
  id?: string;
  event?: string;
  data?: unknown;
  comment?: string;
  /** A `freshness` heartbeat's data, kept apart from `data` (as comment heartbeats were) for data-frame checks. */
  heartbeat?: unknown;
}

export interface SseClient {
  frames: SseFrame[];
  status: Promise<number>;
  /** Resolves with the first frame (after `from`) that matches. */
  next(match: (f: SseFrame) => boolean, timeoutMs?: number): Promise<SseFrame>;
  close(): void;
}

/** A minimal EventSource over node:http, keeping comments (heartbeats) too. */
export function openSse(url: string, headers: Record<string, string> = {}): SseClient {
  const frames: SseFrame[] = [];
  let buffer = '';
  let resolveStatus!: (s: number) => void;
  const status = new Promise<number>((r) => {
    resolveStatus = r;
  });
  const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
    resolveStatus(res.statusCode ?? 0);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let cut = buffer.indexOf('\n\n');
      while (cut !== -1) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const frame: SseFrame = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) frame.comment = line.slice(1).trim();
          else if (line.startsWith('id: ')) frame.id = line.slice(4);
          else if (line.startsWith('event: ')) frame.event = line.slice(7);
          else if (line.startsWith('data: ')) frame.data = JSON.parse(line.slice(6));
        }
        if (frame.event === 'freshness') {
          frame.heartbeat = frame.data;
          delete frame.data;
        }
        frames.push(frame);
        cut = buffer.indexOf('\n\n');
      }
    });
    res.on('error', () => {});
  });
  req.on('error', () => {});
  return {
    frames,
    status,
    async next(match, timeoutMs = 3000) {
      return waitFor(() => frames.find(match), timeoutMs, 5);
    },
    close() {
      req.destroy();
    },
  };
}

/**
 * The server's reconciled call events (polls and trusted pushes) as the state cache emits them, before
 * the journal turns them into calls: what tests of push and poll reconciliation look at.
 */
export function recordCallEvents(server: RunningServer): CallEvent[] {
  const seen: CallEvent[] = [];
  server.cache.onCall((event) => seen.push(event));
  return seen;
}
