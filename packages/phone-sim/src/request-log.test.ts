import { describe, expect, it } from 'vitest';
import { REDACTED, RequestLog, redactQuery } from './request-log.ts';

describe('request log', () => {
  it('redacts the passcode before storing, whatever its case or place', () => {
    expect(redactQuery('passcode=s3cret&cmd=endcall')).not.toContain('s3cret');
    expect(redactQuery('cmd=endcall&PassCode=s3cret')).not.toContain('s3cret');
    expect(redactQuery('xpasscode=keep')).toBe('xpasscode=keep');
  });

  it('keeps the last max entries in order', () => {
    const log = new RequestLog(3);
    for (let i = 1; i <= 5; i++) log.add(i * 1000, `f${i}`, `passcode=p&n=${i}`, 200);
    const entries = log.entries();
    expect(entries.map((e) => e.function)).toEqual(['f3', 'f4', 'f5']);
    expect(entries[0]).toEqual({
      time: new Date(3000).toISOString(),
      function: 'f3',
      params: { passcode: REDACTED, n: '3' },
      status: 200,
    });
    log.add(9000, 'f9', '', 'reset', 'reset');
    expect(log.entries().at(-1)).toMatchObject({ function: 'f9', status: 'reset', fault: 'reset' });
    log.clear();
    expect(log.entries()).toEqual([]);
  });
});
