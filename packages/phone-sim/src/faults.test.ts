import { afterEach, describe, expect, it } from 'vitest';
import { FaultList, parseFault } from './faults.ts';
import type { SimPhone } from './phone.ts';
import { startPhone } from './phone.ts';
import { control, cti, sleep } from './test-support.ts';

const phones: SimPhone[] = [];
async function phone(): Promise<SimPhone> {
  const p = await startPhone({});
  phones.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(phones.splice(0).map((p) => p.close()));
});

const LINE_STATUS = 'api-get_line_status';

describe('faults over HTTP', () => {
  it('delay: answers after ms, then normally again', async () => {
    const p = await phone();
    p.injectFault({ kind: 'delay', ms: 120, times: 1 });
    let started = Date.now();
    expect((await cti(p, LINE_STATUS)).json.response).toBe('success');
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    started = Date.now();
    await cti(p, LINE_STATUS);
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('hang: never answers', async () => {
    const p = await phone();
    p.injectFault({ kind: 'hang', times: 1 });
    const request = fetch(`${p.url}/cgi-bin/${LINE_STATUS}?passcode=admin`, {
      signal: AbortSignal.timeout(150),
    });
    await expect(request).rejects.toThrow(/timeout|abort/i);
    expect(p.requestLog().at(-1)).toMatchObject({ status: 'hang', fault: 'hang' });
    expect((await cti(p, LINE_STATUS)).status).toBe(200);
  });

  it('http500: HTTP 500 HTML, the command does not run', async () => {
    const p = await phone();
    p.injectFault({ kind: 'http500', times: 1 });
    const answer = await cti(p, 'api-send_key', { keys: 'VUP' });
    expect(answer.status).toBe(500);
    expect(answer.contentType).toBe('text/html');
    expect(p.snapshot().volume).toBe(4);
  });

  it('truncated: the command runs, the JSON is cut', async () => {
    const p = await phone();
    p.injectFault({ kind: 'truncated', times: 1 });
    const answer = await cti(p, 'api-send_key', { keys: 'VUP' });
    expect(answer.status).toBe(200);
    expect(answer.json).toBeUndefined();
    expect(answer.text.startsWith('{"response":')).toBe(true);
    expect(p.snapshot().volume).toBe(5);
  });

  it('html: an HTML page with status 200 instead of JSON', async () => {
    const p = await phone();
    p.injectFault({ kind: 'html', times: 1 });
    const answer = await cti(p, LINE_STATUS);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('text/html');
    expect(answer.text).toContain('<html>');
  });

  it('echo: the request values come back in the callers and in error bodies; commands do not run', async () => {
    const p = await phone();
    p.injectFault({ kind: 'echo', times: 2 });
    const lines = await cti(p, LINE_STATUS);
    const body = (lines.json as { body: { remotename: string }[] }).body;
    expect(body.length).toBeGreaterThan(0);
    expect(body.every((l) => l.remotename === 'admin')).toBe(true);
    const command = await cti(p, 'api-send_key', { keys: 'VUP' });
    expect(command.json).toEqual({ response: 'error', body: 'admin VUP' });
    expect(p.snapshot().volume).toBe(4);
  });

  it('reset: the connection is destroyed', async () => {
    const p = await phone();
    p.injectFault({ kind: 'reset', times: 1 });
    await expect(fetch(`${p.url}/cgi-bin/${LINE_STATUS}?passcode=admin`)).rejects.toThrow();
    expect(p.requestLog().at(-1)?.status).toBe('reset');
  });

  it('down: connections refused for ms, then back', async () => {
    const p = await phone();
    const answer = await control(p, 'POST', 'faults', { kind: 'down', ms: 150 });
    expect(answer.status).toBe(200);
    await sleep(20);
    const error = await fetch(`${p.url}/cgi-bin/${LINE_STATUS}?passcode=admin`).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(((error as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
    expect(p.snapshot().down).toBe(true);
    await sleep(200);
    expect((await cti(p, LINE_STATUS)).status).toBe(200);
  });

  it('persistent faults stay until cleared; the control API is never affected', async () => {
    const p = await phone();
    await control(p, 'POST', 'faults', { kind: 'http500' });
    expect((await cti(p, LINE_STATUS)).status).toBe(500);
    expect((await cti(p, LINE_STATUS)).status).toBe(500);
    expect((await control(p, 'GET', 'state')).status).toBe(200);
    await control(p, 'DELETE', 'faults');
    expect((await cti(p, LINE_STATUS)).status).toBe(200);
  });

  it('refuses a bad fault with 400', async () => {
    const p = await phone();
    expect((await control(p, 'POST', 'faults', { kind: 'meteor' })).status).toBe(400);
    expect((await control(p, 'POST', 'faults', { kind: 'delay' })).status).toBe(400);
    expect((await control(p, 'POST', 'faults', { kind: 'http500', times: 0 })).status).toBe(400);
    expect((await control(p, 'POST', 'faults', { kind: 'http500', fn: '../x' })).status).toBe(400);
    expect((await control(p, 'POST', 'faults', { kind: 'down', fn: 'api-send_key' })).status).toBe(400);
  });

  it('a fault aimed at one function leaves every other request alone', async () => {
    const p = await phone();
    const set = await control(p, 'POST', 'faults', { kind: 'http500', times: 1, fn: 'api-send_key' });
    expect(set.status).toBe(200);
    expect((await cti(p, 'api-get_line_status')).status).toBe(200);
    expect((await cti(p, 'api-get_phone_status')).status).toBe(200);
    expect((await cti(p, 'api-send_key', { keys: 'VUP' })).status).toBe(500);
    expect((await cti(p, 'api-send_key', { keys: 'VUP' })).status).toBe(200);
    expect(p.snapshot().faults).toEqual([]);
  });
});

describe('FaultList', () => {
  it('adds delays and picks the first outcome fault, counting uses', () => {
    const list = new FaultList();
    list.add(parseFault({ kind: 'delay', ms: 10, times: 2 }));
    list.add({ kind: 'html', times: 1 });
    list.add({ kind: 'http500' });
    expect(list.take('api-get_line_status')).toEqual({
      delayMs: 10,
      outcome: 'html',
      kinds: ['delay', 'html'],
    });
    expect(list.take('api-get_line_status')).toEqual({
      delayMs: 10,
      outcome: 'http500',
      kinds: ['delay', 'http500'],
    });
    expect(list.list()).toEqual([{ kind: 'http500', ms: 0, times: null }]);
    list.clear();
    list.add({ kind: 'reset', times: 1, fn: 'api-send_key' });
    expect(list.take('api-get_line_status')).toEqual({ delayMs: 0, kinds: [] });
    expect(list.take('api-send_key')).toEqual({ delayMs: 0, outcome: 'reset', kinds: ['reset'] });
    expect(list.empty).toBe(true);
  });
});
