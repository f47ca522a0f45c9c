import { describe, expect, it } from 'vitest';
import { cti, sleep, usePhones } from './test-support.ts';

const phone = usePhones();

describe('passcode-wrongn firmware', () => {
  it('a wrong passcode answers HTTP 200 wrongN with the attempts left; the 5th locks with lockTime', async () => {
    const p = await phone({ firmwareProfile: 'passcode-wrongn', lockoutMs: 150_000 });
    const answers = [];
    for (let i = 0; i < 5; i++) {
      const answer = await cti(p, 'api-get_line_status', {}, 'bad');
      expect(answer.status).toBe(200);
      answers.push(answer.json);
    }
    expect(answers.map((a) => a.body)).toEqual(['wrong4', 'wrong3', 'wrong2', 'wrong1', 'locked']);
    expect(answers[4]).toEqual({ response: 'error', body: 'locked', lockTime: 3 });
    // Locked: the right passcode too, and a missing one.
    expect((await cti(p, 'api-get_line_status')).json).toEqual({
      response: 'error',
      body: 'locked',
      lockTime: 3,
    });
    expect((await cti(p, 'api-get_phone_status', {}, null)).json.body).toBe('locked');
  });

  it('lockTime is at least 1 minute; the lock ends after lockoutMs; a right passcode resets the count', async () => {
    const p = await phone({ firmwareProfile: 'passcode-wrongn', lockoutMs: 120 });
    await cti(p, 'api-get_line_status', {}, 'bad');
    expect((await cti(p, 'api-get_line_status')).json.response).toBe('success');
    expect((await cti(p, 'api-get_line_status', {}, 'bad')).json.body).toBe('wrong4');
    for (let i = 0; i < 3; i++) await cti(p, 'api-get_line_status', {}, 'bad');
    expect((await cti(p, 'api-get_line_status', {}, 'bad')).json).toEqual({
      response: 'error',
      body: 'locked',
      lockTime: 1,
    });
    await sleep(150);
    expect((await cti(p, 'api-get_line_status')).json.response).toBe('success');
  });

  it('the passcode profile keeps the 401 page and the bare locked answer', async () => {
    const p = await phone({ lockoutMs: 150_000 });
    for (let i = 0; i < 5; i++) expect((await cti(p, 'api-get_line_status', {}, 'bad')).status).toBe(401);
    expect((await cti(p, 'api-get_line_status')).json).toEqual({ response: 'error', body: 'locked' });
  });
});
