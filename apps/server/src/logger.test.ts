import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from './logger.ts';

describe('redactUrl', () => {
  it('redacts passcode values in any spelling', () => {
    expect(redactUrl('/cgi-bin/api-make_call?passcode=admin&phonenumber=1')).toBe(
      '/cgi-bin/api-make_call?passcode=[Redacted]&phonenumber=1',
    );
    expect(redactUrl('?PASSCODE=x%26y')).toBe('?PASSCODE=[Redacted]');
    expect(redactUrl('?pass%63ode=secret&a=1')).toBe('?pass%63ode=[Redacted]&a=1');
    expect(redactUrl('?passcode%3Dsecret')).toBe('?passcode%3D[Redacted]');
    expect(redactUrl('/api/phones')).toBe('/api/phones');
  });
});

describe('createLogger', () => {
  it('redacts secret fields and URLs in messages', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logger = createLogger({ destination });
    logger.info(
      { passcode: 'p1-secret', nested: { password: 'p2-secret' }, url: '/x?passcode=p3-secret' },
      'hi',
    );
    logger.info('GET http://10.0.0.5/cgi-bin/api-get_accounts?passcode=p4-secret');
    await new Promise((r) => setImmediate(r));
    const all = lines.join('');
    for (const s of ['p1-secret', 'p2-secret', 'p3-secret', 'p4-secret']) expect(all).not.toContain(s);
    expect(all).toContain('[Redacted]');
  });
});
