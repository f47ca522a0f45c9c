/**
 * The CTI client against the real simulator over HTTP (issue 4, "Done when": the CTI client's tests run
 * against it). client.test.ts pins the wire format with canned answers; here every method meets a phone that
 * keeps state, applies the passcode and lockout rules, answers with the field's quirks and injects faults, and
 * the effect of each command is checked in the phone's own state (`snapshot()`), not in the client's echo.
 */
import { inspect } from 'node:util';
import type { PhoneOptions, SimPhone } from '@linedeck/phone-sim';
import { startPhone } from '@linedeck/phone-sim';
import { afterEach, describe, expect, it } from 'vitest';
import type { CtiClient, CtiErrorCode } from './index.ts';
import { CtiError, createCtiClient, findModel } from './index.ts';

// `&`, `=`, `#` and `%` would each break a hand-built query string; long enough for redactPasscode's forms.
const ADMIN = 'Adm1n&=#pass%';
const USER = 'Us3r+pass/x';
const WRONG = 'Wr0ng&pass=1';
const SECRETS = [ADMIN, USER, WRONG].flatMap((p) => [
  p,
  encodeURIComponent(p),
  new URLSearchParams({ p }).toString().slice(2),
]);

const phones: SimPhone[] = [];

afterEach(async () => {
  await Promise.all(phones.splice(0).map((p) => p.close()));
});

async function simPhone(options: PhoneOptions = {}): Promise<SimPhone> {
  const phone = await startPhone({ port: 0, adminPasscode: ADMIN, userPasscode: USER, ...options });
  phones.push(phone);
  return phone;
}

function clientFor(phone: SimPhone, passcode = ADMIN, timeoutMs = 2000): CtiClient {
  return createCtiClient({ host: phone.host, passcode, timeoutMs });
}

/** Every way an error could be printed, logged or serialized. */
function renderings(value: unknown): string {
  const parts = [String(value), JSON.stringify(value), inspect(value, { depth: 10, showHidden: true })];
  if (value instanceof Error) {
    parts.push(value.message, value.stack ?? '');
    if (value.cause !== undefined) parts.push(renderings(value.cause));
  }
  return parts.join('\n');
}

async function expectCode(promise: Promise<unknown>, code: CtiErrorCode): Promise<CtiError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(CtiError);
  const err = caught as CtiError;
  expect(err.code).toBe(code);
  const text = renderings(err);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  return err;
}

async function waitFor(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('reads', () => {
  it.each(['GRP2601', 'GRP2612', 'GRP2614', 'GRP2616', 'GRP2670'])(
    'getLineStatus on a %s answers one idle line per line key',
    async (model) => {
      const phone = await simPhone({ model });
      const lines = await clientFor(phone).getLineStatus();
      expect(lines).toHaveLength(findModel(model)?.lines ?? -1);
      expect(lines.map((l) => l.line)).toEqual(lines.map((_, i) => i + 1));
      expect(
        lines.every((l) => l.state === 'idle' && !l.active && !l.conference && l.remoteNumber === ''),
      ).toBe(true);
    },
  );

  it('getPhoneStatus and getAccounts', async () => {
    const phone = await simPhone({
      model: 'GRP2602',
      accounts: [{ sipServer: 'pbx.example.test', sipId: '2001', name: 'Sales' }],
    });
    const client = clientFor(phone);
    await expect(client.getPhoneStatus()).resolves.toEqual({ status: 'available', misc: '0', extra: {} });
    const accounts = await client.getAccounts();
    // Every slot of the model, the unused one empty, as in the guide's example.
    expect(accounts).toEqual([
      { id: 1, sipServer: 'pbx.example.test', sipId: '2001', name: 'Sales', registered: true },
      { id: 2, sipServer: '', sipId: '', name: '', registered: false },
    ]);
    phone.updateSettings({ accounts: [{ registered: false }] });
    expect((await client.getPhoneStatus()).status).toBe('unavailable');
  });

  it('the user passcode reads too', async () => {
    const phone = await simPhone();
    await expect(clientFor(phone, USER).getPhoneStatus()).resolves.toMatchObject({ status: 'available' });
  });
});

describe('quirks of the field', () => {
  it.each(['remotenumber', 'remotenum'] as const)(
    'reads the caller number sent as %s',
    async (numberField) => {
      const phone = await simPhone({ quirks: { numberField } });
      phone.ring('+4930123456', 'Ada Lovelace');
      const [line] = await clientFor(phone).getLineStatus();
      expect(line).toMatchObject({ line: 1, state: 'ringing', remoteNumber: '+4930123456' });
      expect(line?.remoteName).toBe('Ada Lovelace');
    },
  );

  it('idle acct as "" is no account, as 0 is account 0; a call shows its account', async () => {
    const blank = await simPhone({ quirks: { idleAcct: '' } });
    const zero = await simPhone({ quirks: { idleAcct: 0 } });
    expect((await clientFor(blank).getLineStatus())[0]?.account).toBeNull();
    expect((await clientFor(zero).getLineStatus())[0]?.account).toBe(0);
    zero.ring('100');
    // The phone reports a call's account 1-based (`acct: 1` for the first account).
    expect((await clientFor(zero).getLineStatus())[0]?.account).toBe(1);
  });

  it.each(['text/html', 'text/plain'] as const)('JSON labelled %s is still read', async (contentType) => {
    const phone = await simPhone({ quirks: { contentType } });
    const client = clientFor(phone);
    expect(await client.getLineStatus()).toHaveLength(8);
    expect((await client.getPhoneStatus()).status).toBe('available');
    expect(await client.getAccounts()).toHaveLength(4);
    await expect(client.sendKeys('VUP')).resolves.toMatchObject({ ok: true, body: 'complete' });
  });

  it('extra fields are kept next to body and tolerated in lines and accounts', async () => {
    const phone = await simPhone({ quirks: { extraFields: true } });
    const client = clientFor(phone);
    const status = await client.getPhoneStatus();
    expect(status).toEqual({
      status: 'available',
      misc: '0',
      extra: { battery: 100, session_expiring: false },
    });
    phone.ring('555');
    expect((await client.getLineStatus())[0]).toMatchObject({ state: 'ringing', remoteNumber: '555' });
    expect((await client.getAccounts())[0]).toMatchObject({ id: 1, registered: true });
    const result = await client.phoneOperation('acceptcall');
    expect(result).toEqual({ ok: true, body: true, extra: { battery: 100, session_expiring: false } });
  });
});

describe('calls through the client, checked in the phone', () => {
  it('ring, accept, hold, unhold by toggling, end', async () => {
    const phone = await simPhone();
    const client = clientFor(phone);
    expect(phone.ring('+4930999', 'Grace Hopper').ok).toBe(true);
    expect((await client.getPhoneStatus()).status).toBe('ringing');

    await expect(client.phoneOperation('acceptcall')).resolves.toMatchObject({ ok: true, body: true });
    expect(phone.snapshot().lines[0]).toMatchObject({ state: 'connected', remoteNumber: '+4930999' });
    expect((await client.getPhoneStatus()).status).toBe('busy');

    await client.phoneOperation('holdcall');
    expect(phone.snapshot().lines[0]?.state).toBe('onhold');
    expect((await client.getLineStatus())[0]?.state).toBe('onhold');
    await client.phoneOperation('holdcall', { line: 1 });
    expect(phone.snapshot().lines[0]?.state).toBe('connected');

    await client.phoneOperation('endcall');
    expect(phone.snapshot().lines[0]?.state).toBe('idle');
    expect((await client.getPhoneStatus()).status).toBe('available');
  });

  it('an operation with nothing to act on is rejected with the phone body', async () => {
    const phone = await simPhone();
    const err = await expectCode(clientFor(phone).phoneOperation('acceptcall'), 'rejected');
    expect(err.body).toBe(false);
  });

  it('makeCall starts calling; keys during the call are DTMF, recorded in order', async () => {
    const phone = await simPhone();
    const client = clientFor(phone);
    await expect(client.makeCall('+4930100200', { account: 0 })).resolves.toMatchObject({
      ok: true,
      body: true,
    });
    expect(phone.snapshot().lines[0]).toMatchObject({
      state: 'calling',
      remoteNumber: '+4930100200',
      direction: 'outgoing',
    });
    expect((await client.getLineStatus())[0]).toMatchObject({
      state: 'calling',
      remoteNumber: '+4930100200',
    });

    phone.farEndAnswer();
    expect(phone.snapshot().lines[0]?.state).toBe('connected');
    await expect(client.sendKeys(['1', '2', '#'])).resolves.toMatchObject({ body: 'complete' });
    await client.sendKeys('5');
    await client.sendKeys(['*', '0']);
    expect(phone.snapshot().lines[0]?.dtmf).toBe('12#5*0');
    // DTMF is not dialling: the buffer stays empty and no second call started.
    expect(phone.snapshot().dialBuffer).toBe('');
    expect(phone.snapshot().lines.filter((l) => l.state !== 'idle')).toHaveLength(1);
    await client.phoneOperation('endcall');
    expect(phone.snapshot().lines[0]?.state).toBe('idle');
  });

  it('makeCall with click-to-dial off is rejected as Invalid Request, and nothing is dialled', async () => {
    const phone = await simPhone({ settings: { clickToDial: false } });
    const err = await expectCode(clientFor(phone).makeCall('100'), 'rejected');
    expect(err.body).toBe('Invalid Request');
    expect(phone.snapshot().lines.every((l) => l.state === 'idle')).toBe(true);
  });

  it('digits while idle go into the dial buffer', async () => {
    const phone = await simPhone();
    await clientFor(phone).sendKeys(['1', '0', '0', '0']);
    expect(phone.snapshot().dialBuffer).toBe('1000');
  });
});

describe('system operations', () => {
  it('REBOOT answers savereboot, then the phone is unreachable, then back and idle', async () => {
    const phone = await simPhone({ rebootMs: 400 });
    const client = clientFor(phone, ADMIN, 500);
    phone.ring('123');
    await expect(client.sysOperation('REBOOT')).resolves.toMatchObject({ ok: true, body: 'savereboot' });
    await waitFor(() => phone.snapshot().down);
    await expectCode(client.getLineStatus(), 'unreachable');
    await waitFor(() => !phone.snapshot().down);
    const lines = await client.getLineStatus();
    expect(lines.every((l) => l.state === 'idle')).toBe(true);
  });

  it('RESET with the user passcode is refused as auth_failed, and the phone stays up', async () => {
    const phone = await simPhone();
    const err = await expectCode(clientFor(phone, USER).sysOperation('RESET'), 'auth_failed');
    expect(err.status).toBe(401);
    expect(phone.snapshot().down).toBe(false);
    // A valid user passcode does not count towards the lockout.
    expect(phone.snapshot().passcode.failures).toBe(0);
  });

  it('RESET with the admin passcode answers reset and restarts the phone', async () => {
    const phone = await simPhone({ rebootMs: 200 });
    await expect(clientFor(phone).sysOperation('RESET')).resolves.toMatchObject({ body: 'reset' });
    await waitFor(() => phone.snapshot().down);
    await waitFor(() => !phone.snapshot().down);
  });
});

describe('passcode and lockout', () => {
  it('a wrong passcode is auth_failed (HTTP 401)', async () => {
    const phone = await simPhone();
    const err = await expectCode(clientFor(phone, WRONG).getLineStatus(), 'auth_failed');
    expect(err.status).toBe(401);
    expect(err.message).not.toContain('locked');
  });

  it('after 5 wrong passcodes the phone is locked: auth_failed "locked", even for the right passcode', async () => {
    const phone = await simPhone({ lockoutMs: 60_000 });
    const wrong = clientFor(phone, WRONG);
    for (let i = 0; i < 5; i++) await expectCode(wrong.getPhoneStatus(), 'auth_failed');
    const locked = await expectCode(wrong.getPhoneStatus(), 'auth_failed');
    expect(locked.body).toBe('locked');
    expect(locked.message).toContain('locked');
    const right = await expectCode(clientFor(phone).getLineStatus(), 'auth_failed');
    expect(right.body).toBe('locked');
    // Nothing ran while locked.
    await expectCode(clientFor(phone).makeCall('100'), 'auth_failed');
    expect(phone.snapshot().lines.every((l) => l.state === 'idle')).toBe(true);
  });
});

describe('simulator faults', () => {
  it('delay longer than timeoutMs: timeout; a shorter one is just slow', async () => {
    const phone = await simPhone();
    phone.injectFault({ kind: 'delay', ms: 400, times: 1 });
    await expectCode(clientFor(phone, ADMIN, 100).getLineStatus(), 'timeout');
    phone.injectFault({ kind: 'delay', ms: 50, times: 1 });
    await expect(clientFor(phone, ADMIN, 1000).getLineStatus()).resolves.toHaveLength(8);
  });

  it('hang: timeout', async () => {
    const phone = await simPhone();
    phone.injectFault({ kind: 'hang', times: 1 });
    await expectCode(clientFor(phone, ADMIN, 150).getPhoneStatus(), 'timeout');
    await expect(clientFor(phone).getPhoneStatus()).resolves.toMatchObject({ status: 'available' });
  });

  it('http500: http_status 500, and the command did not run', async () => {
    const phone = await simPhone();
    phone.injectFault({ kind: 'http500', times: 1 });
    const err = await expectCode(clientFor(phone).makeCall('100'), 'http_status');
    expect(err.status).toBe(500);
    expect(phone.snapshot().lines[0]?.state).toBe('idle');
  });

  it('truncated JSON: malformed (the command itself ran, as on a real phone)', async () => {
    const phone = await simPhone();
    const client = clientFor(phone);
    phone.injectFault({ kind: 'truncated', times: 1 });
    await expectCode(client.getLineStatus(), 'malformed');
    phone.injectFault({ kind: 'truncated', times: 1 });
    await expectCode(client.makeCall('100'), 'malformed');
    expect(phone.snapshot().lines[0]?.state).toBe('calling');
  });

  it('an HTML page with HTTP 200: malformed', async () => {
    const phone = await simPhone();
    phone.injectFault({ kind: 'html', times: 1 });
    const err = await expectCode(clientFor(phone).getAccounts(), 'malformed');
    expect(err.status).toBe(200);
    expect(err.message).toContain('HTML');
  });

  it('connection reset: unreachable', async () => {
    const phone = await simPhone();
    phone.injectFault({ kind: 'reset', times: 1 });
    await expectCode(clientFor(phone).getLineStatus(), 'unreachable');
    await expect(clientFor(phone).getLineStatus()).resolves.toHaveLength(8);
  });

  it('down: unreachable (ECONNREFUSED) until the phone is back', async () => {
    const phone = await simPhone();
    const client = clientFor(phone, ADMIN, 500);
    phone.injectFault({ kind: 'down', ms: 300 });
    const err = await expectCode(client.getLineStatus(), 'unreachable');
    expect((err.cause as { code?: string } | undefined)?.code).toBe('ECONNREFUSED');
    await waitFor(() => !phone.snapshot().down);
    await expect(client.getLineStatus()).resolves.toHaveLength(8);
  });

  it('the request log shows each request once: the client never retried', async () => {
    const phone = await simPhone();
    phone.injectFault({ kind: 'http500', times: 1 });
    await expectCode(clientFor(phone).sendKeys('1'), 'http_status');
    await expectCode(clientFor(phone, WRONG).getLineStatus(), 'auth_failed');
    const log = phone.requestLog();
    expect(log.map((e) => [e.function, e.status])).toEqual([
      ['api-send_key', 500],
      ['api-get_line_status', 401],
    ]);
    // The simulator's own log redacts the passcode too.
    for (const secret of SECRETS) expect(JSON.stringify(log)).not.toContain(secret);
  });
});
