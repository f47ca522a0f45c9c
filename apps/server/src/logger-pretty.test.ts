/** Readable log lines for people (LOG_FORMAT=pretty, or a terminal): the same redaction as the JSON lines. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, resolveLogFormat } from './logger.ts';

function capture() {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  return { destination, text: () => chunks.join('') };
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('log format', () => {
  it('is pretty on a terminal and JSON otherwise, unless LOG_FORMAT says', () => {
    expect(resolveLogFormat(undefined, true)).toBe('pretty');
    expect(resolveLogFormat(undefined, false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });

  it('pretty lines are readable and still redact passcodes, passwords, tokens and URL secrets', async () => {
    const out = capture();
    const logger = createLogger({ format: 'pretty', destination: out.destination });
    logger.info(
      {
        phoneId: 'desk-1',
        passcode: 'pc-in-field-123',
        body: { password: 'pw-nested-456' },
        headers: { authorization: 'Bearer tok-header-789' },
        url: '/cti/desk-1/cgi-bin/api-get_line_status?passcode=pc-in-url-000',
      },
      'phone answered',
    );
    logger.warn('wall link /wall?key=display-key-abc opened');
    await settle();
    const text = out.text();
    expect(text).toMatch(/INFO.*phone answered/);
    expect(text).toMatch(/WARN.*wall link/);
    expect(text.trimStart().startsWith('{')).toBe(false);
    // No colour codes when writing to a stream that is not a terminal.
    expect(text).not.toContain('\u001b[');
    for (const secret of [
      'pc-in-field-123',
      'pw-nested-456',
      'tok-header-789',
      'pc-in-url-000',
      'display-key-abc',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[Redacted]');
    expect(text).toContain('desk-1');
  });

  it('JSON stays the default', async () => {
    const out = capture();
    createLogger({ destination: out.destination }).info({ passcode: 'pc-json-1' }, 'hello');
    await settle();
    const line = JSON.parse(out.text()) as { msg: string; passcode: string };
    expect(line).toMatchObject({ msg: 'hello', passcode: '[Redacted]' });
  });
});
