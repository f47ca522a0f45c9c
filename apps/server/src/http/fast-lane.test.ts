/**
 * The fast lane answers every command request exactly as the app's own walk does: two real servers, one
 * with the lane and one without, each with a simulated phone, get the same requests (a good command, a
 * bad body, malformed and oversized JSON, no session, a cross-site Origin, a Host that is not allowed,
 * an unknown phone, a query string, a bad Idempotency-Key, text instead of JSON) and must give the same
 * status, body and headers; the lane took the commands it could, and the phone got the same keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionsSeen, type Harness, startHarness } from '../test-support/harness.ts';
import { type Reply, send } from '../users/test-support.ts';

type Answer = Pick<Reply, 'status' | 'body' | 'headers'>;

/** One request as sent, the body as a string (malformed on purpose, at times). */
function sendTo(
  h: Harness,
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string>; signedIn?: boolean } = {},
): Promise<Answer> {
  const headers = { ...((options.signedIn ?? true) ? h.authHeaders() : {}), ...options.headers };
  return send(h.url, method, path, {
    ...(options.body === undefined ? {} : { rawBody: options.body }),
    headers,
  });
}

/** What must match: the status, the body without its request id, every header but the per-answer ones. */
function comparable(answer: Answer) {
  const headers = { ...answer.headers };
  for (const varying of ['date', 'x-request-id', 'content-length', 'connection', 'keep-alive'])
    delete headers[varying];
  const body = JSON.parse(JSON.stringify(answer.body ?? null), (key, value) =>
    key === 'requestId' || key === 'phoneId' ? '<id>' : value,
  ) as unknown;
  return { status: answer.status, body, headers };
}

let lane: Harness;
let walk: Harness;
beforeAll(async () => {
  [lane, walk] = await Promise.all([
    startHarness([{ name: 'Desk' }], { pollIntervalMs: 60_000 }),
    startHarness([{ name: 'Desk' }], { pollIntervalMs: 60_000, fastLane: false }),
  ]);
});
afterAll(async () => {
  await Promise.all([lane?.close(), walk?.close()]);
});

describe('the fast lane', () => {
  it('answers every command request as the app does, and takes those it can', async () => {
    const cases: {
      method: string;
      path: (id: string) => string;
      body?: string;
      headers?: Record<string, string>;
      signedIn?: boolean;
    }[] = [
      { method: 'POST', path: (id) => `/api/phones/${id}/keys`, body: '{"keys":["1"]}' },
      { method: 'POST', path: (id) => `/api/phones/${id}/keys`, body: '{"keys":["NOPE"]}' },
      { method: 'POST', path: (id) => `/api/phones/${id}/keys`, body: '{"keys":' },
      {
        method: 'POST',
        path: (id) => `/api/phones/${id}/keys`,
        body: JSON.stringify({ keys: ['1'], pad: 'x'.repeat(40_000) }),
      },
      { method: 'POST', path: (id) => `/api/phones/${id}/keys`, body: '{"keys":["2"]}', signedIn: false },
      {
        method: 'POST',
        path: (id) => `/api/phones/${id}/keys`,
        body: '{"keys":["3"]}',
        headers: { origin: 'http://evil.example' },
      },
      {
        method: 'POST',
        path: (id) => `/api/phones/${id}/keys`,
        body: '{"keys":["4"]}',
        headers: { host: 'rebound.example' },
      },
      {
        method: 'POST',
        path: () => '/api/phones/00000000-0000-4000-8000-000000000000/keys',
        body: '{"keys":["5"]}',
      },
      { method: 'POST', path: (id) => `/api/phones/${id}/keys?x=1`, body: '{"keys":["6"]}' },
      {
        method: 'POST',
        path: (id) => `/api/phones/${id}/keys`,
        body: '{"keys":["7"]}',
        headers: { 'idempotency-key': 'not a key!' },
      },
      {
        method: 'POST',
        path: (id) => `/api/phones/${id}/keys`,
        body: '{"keys":["8"]}',
        headers: { 'content-type': 'text/plain' },
      },
      { method: 'PUT', path: (id) => `/api/phones/${id}/dnd`, body: '{"on":true}' },
      { method: 'POST', path: (id) => `/api/phones/${id}/operations`, body: '{"command":"nonsense"}' },
    ];
    for (const c of cases) {
      const [viaLane, viaWalk] = await Promise.all(
        [lane, walk].map((h) => sendTo(h, c.method, c.path(h.phone('Desk').id), c)),
      );
      const label = `${c.method} ${c.path(':id')} ${c.body?.slice(0, 30) ?? ''} ${JSON.stringify(c.headers ?? {})}`;
      expect(comparable(viaLane as Answer), label).toEqual(comparable(viaWalk as Answer));
    }
    // The first case went through: both phones got the key, once.
    for (const h of [lane, walk])
      expect(functionsSeen(h.phone('Desk').sim, 'api-send_key').length).toBeGreaterThan(0);
    // Everything but the query string, a path the lane leaves to the app.
    expect(lane.server.fastLaneTaken()).toBe(cases.length - 1);
    expect(walk.server.fastLaneTaken()).toBeUndefined();
  });

  it('leaves to the app what it is not sure of, which answers as before', async () => {
    const before = lane.server.fastLaneTaken() ?? 0;
    const paths: ((id: string) => string)[] = [
      (id) => `/api/phones/${id}/keys/`,
      (id) => `/API/PHONES/${id}/KEYS`,
      (id) => `/api/phones/${id.replace('-', '%2D')}/keys`,
    ];
    for (const path of paths) {
      const [viaLane, viaWalk] = await Promise.all(
        [lane, walk].map((h) => sendTo(h, 'POST', path(h.phone('Desk').id), { body: '{"keys":["9"]}' })),
      );
      expect(comparable(viaLane as Answer), path(':id')).toEqual(comparable(viaWalk as Answer));
    }
    expect(lane.server.fastLaneTaken()).toBe(before);
  });
});
