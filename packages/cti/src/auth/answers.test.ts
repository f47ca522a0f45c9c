/**
 * Every authentication answer of the field notes, on the passcode scheme through the real client and a
 * local HTTP phone: each is `auth_failed` with the facts in `auth`, none is `rejected`, and the message
 * says what the phone said.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CtiClient, createCtiClient } from '../client.ts';
import { CtiError } from '../errors.ts';
import { failure, startTestPhone, success, type TestPhone } from '../test-phone-server.ts';
import { authFailureOfAnswer } from './answers.ts';

const PASSCODE = 'S3cr&t=pw#Zz';
let phone: TestPhone;
let client: CtiClient;

beforeEach(async () => {
  phone = await startTestPhone();
  client = createCtiClient({ host: phone.host, passcode: PASSCODE, timeoutMs: 2000 });
});
afterEach(() => phone.close());

async function authFailed(promise: Promise<unknown>): Promise<CtiError> {
  const err = await promise.then(
    () => new Error('expected auth_failed, got success'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CtiError);
  expect((err as CtiError).code).toBe('auth_failed');
  expect(JSON.stringify(err) + String(err)).not.toContain('S3cr');
  return err as CtiError;
}

const calls = [
  ['api-get_line_status', () => client.getLineStatus()],
  ['api-get_accounts', () => client.getAccounts()],
  ['api-make_call', () => client.makeCall('100')],
  ['api-phone_operation', () => client.phoneOperation('endcall')],
  ['api-send_key', () => client.sendKeys('OK')],
  ['api-sys_operation', () => client.sysOperation('RESET')],
] as const;

describe('wrongN on any function', () => {
  it.each(calls)('%s answering wrong3 is wrong_credential with 3 attempts left', async (fn, run) => {
    phone.respond(fn, failure('wrong3'));
    const err = await authFailed(run());
    expect(err.auth).toEqual({ reason: 'wrong_credential', attemptsLeft: 3 });
    expect(err.message).toBe(`${fn}: phone ${phone.host}: wrong password, 3 attempts left.`);
    expect(phone.requests).toHaveLength(1);
  });

  it('wrong1 says 1 attempt; a bare "wrong" has no count', async () => {
    phone.respond('api-get_phone_status', failure('wrong1'));
    expect((await authFailed(client.getPhoneStatus())).message).toContain('1 attempt left');
    phone.respond('api-get_phone_status', failure('wrong'));
    expect((await authFailed(client.getPhoneStatus())).auth).toEqual({ reason: 'wrong_credential' });
  });
});

describe('the other answers', () => {
  it.each([
    ['error', { response: 'error', body: 'locked', lockTime: 5 }],
    ['success', { response: 'success', body: 'locked', lockTime: '5' }],
  ])('locked with lockTime (%s verdict) is locked with the minutes', async (_verdict, body) => {
    phone.respond('api-make_call', { body });
    const err = await authFailed(client.makeCall('100'));
    expect(err.auth).toEqual({ reason: 'locked', lockMinutes: 5 });
    expect(err.message).toContain('locked for 5 minutes');
  });

  it('locked without lockTime is locked, no minutes', async () => {
    phone.respond('api-get_line_status', failure('locked'));
    expect((await authFailed(client.getLineStatus())).auth).toEqual({ reason: 'locked' });
  });

  it('"user is not allow" is not_allowed', async () => {
    phone.respond('api-get_accounts', failure('user is not allow'));
    const err = await authFailed(client.getAccounts());
    expect(err.auth).toEqual({ reason: 'not_allowed' });
    expect(err.message).toContain('may not use the web API');
  });

  it('the session-expired body is session_expired', async () => {
    phone.respond('api-get_line_status', failure({ status: 'session-expired' }));
    expect((await authFailed(client.getLineStatus())).auth).toEqual({ reason: 'session_expired' });
  });

  it('phone status "unauthorized" is unauthorized, not a status', async () => {
    phone.respond('api-get_phone_status', success('unauthorized', { misc: '0' }));
    const err = await authFailed(client.getPhoneStatus());
    expect(err.auth).toEqual({ reason: 'unauthorized' });
  });

  it.each([401, 403])('HTTP %i on the passcode scheme is refused', async (status) => {
    phone.respond('api-get_line_status', { status, contentType: 'text/html', body: '<html>no</html>' });
    const err = await authFailed(client.getLineStatus());
    expect(err.auth).toEqual({ reason: 'refused' });
    expect(err.status).toBe(status);
    expect(err.message).toContain(`(HTTP ${status})`);
  });

  it('a plain refusal stays rejected', async () => {
    phone.respond('api-make_call', failure('Invalid Request'));
    const err = await client.makeCall('100').catch((e: CtiError) => e);
    expect(err).toMatchObject({ code: 'rejected', body: 'Invalid Request' });
  });
});

describe('authFailureOfAnswer', () => {
  it('reads unauthorized as a failure only from phone status', () => {
    expect(authFailureOfAnswer('api-send_key', 'success', { body: 'unauthorized' })).toBeUndefined();
    expect(authFailureOfAnswer('api-get_phone_status', 'success', { body: 'Unauthorized ' })).toEqual({
      reason: 'unauthorized',
    });
  });

  it('needs the error verdict for wrongN, not for locked', () => {
    expect(authFailureOfAnswer('api-send_key', 'success', { body: 'wrong4' })).toBeUndefined();
    expect(authFailureOfAnswer('api-send_key', 'success', { body: 'LOCKED', lockTime: 2 })).toEqual({
      reason: 'locked',
      lockMinutes: 2,
    });
  });
});
