/**
 * The 256 kB answer cap (fetch and the node:https path) against a phone streaming without end, and
 * REBOOT answered by a dropped connection.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCtiClient } from './client.ts';
import { CtiError } from './errors.ts';
import { closedPortHost, startTestPhone, success, type TestPhone } from './test-phone-server.ts';
import { MAX_ANSWER_BYTES } from './transport.ts';

let phone: TestPhone | undefined;
afterEach(async () => {
  await phone?.close();
  phone = undefined;
});

const catchErr = (p: Promise<unknown>) =>
  p.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );

describe('answer size cap', () => {
  it.each([
    ['fetch', false],
    ['node:https (allowSelfSigned)', true],
  ])('an endless body is cut off and malformed (%s)', async (_path, tls) => {
    phone = await startTestPhone({ 'api-get_line_status': { endless: true } }, { tls });
    const client = createCtiClient({
      host: phone.host,
      passcode: 'pw',
      timeoutMs: 5000,
      allowSelfSigned: tls,
    });
    const started = Date.now();
    const err = (await catchErr(client.getLineStatus())) as CtiError;
    expect(err).toBeInstanceOf(CtiError);
    expect(err.code).toBe('malformed');
    expect(err.message).toContain('larger than 256 kB');
    expect(Date.now() - started).toBeLessThan(3000);
    // The server stops once the client hangs up: a bounded amount was sent, not an endless one (what
    // the server wrote includes what the loopback socket buffers took, a few MB at most).
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sent = phone.endlessBytes;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(phone.endlessBytes).toBe(sent);
    expect(sent).toBeGreaterThan(MAX_ANSWER_BYTES);
    expect(sent).toBeLessThan(128 * MAX_ANSWER_BYTES);
  });

  it('an answer just under the cap is read', async () => {
    const body = 'x'.repeat(MAX_ANSWER_BYTES - 100);
    phone = await startTestPhone({ 'api-send_key': success(body) });
    const client = createCtiClient({ host: phone.host, passcode: 'pw' });
    await expect(client.sendKeys('OK')).resolves.toMatchObject({ ok: true });
  });

  it('a Content-Length over the cap is refused without reading', async () => {
    phone = await startTestPhone({
      'api-get_accounts': {
        body: success([]).body,
        headers: { 'content-length': String(MAX_ANSWER_BYTES + 1) },
      },
    });
    const client = createCtiClient({ host: phone.host, passcode: 'pw' });
    const err = (await catchErr(client.getAccounts())) as CtiError;
    expect(err.code).toBe('malformed');
  });
});

describe('REBOOT with a dropped connection', () => {
  it('is rebooting, on fetch and on node:https', async () => {
    for (const tls of [false, true]) {
      phone = await startTestPhone({ 'api-sys_operation': { drop: true } }, { tls });
      const client = createCtiClient({ host: phone.host, passcode: 'pw', allowSelfSigned: tls });
      await expect(client.sysOperation('REBOOT')).resolves.toEqual({
        ok: true,
        body: 'rebooting',
        extra: {},
      });
      await phone.close();
      phone = undefined;
    }
  });

  it('RESET with a dropped connection stays unreachable', async () => {
    phone = await startTestPhone({ 'api-sys_operation': { drop: true } });
    const client = createCtiClient({ host: phone.host, passcode: 'pw' });
    const err = (await catchErr(client.sysOperation('RESET'))) as CtiError;
    expect(err.code).toBe('unreachable');
  });

  it('REBOOT to a refused connection stays unreachable', async () => {
    const client = createCtiClient({ host: await closedPortHost(), passcode: 'pw' });
    const err = (await catchErr(client.sysOperation('REBOOT'))) as CtiError;
    expect(err.code).toBe('unreachable');
    expect((err.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });
});
