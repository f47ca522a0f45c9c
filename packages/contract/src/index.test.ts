import { describe, expect, it } from 'vitest';
import { createPhoneBodySchema, keysBodySchema, makeCallBodySchema, operationBodySchema } from './index.ts';

describe('contract schemas', () => {
  it('accepts dialable numbers and refuses injection attempts', () => {
    expect(makeCallBodySchema.safeParse({ number: '+4930123*#' }).success).toBe(true);
    expect(makeCallBodySchema.safeParse({ number: '1&cmd=REBOOT' }).success).toBe(false);
    expect(makeCallBodySchema.safeParse({ number: '' }).success).toBe(false);
    expect(makeCallBodySchema.safeParse({ number: '1'.repeat(65) }).success).toBe(false);
  });

  it('refuses unknown fields', () => {
    expect(makeCallBodySchema.safeParse({ number: '100', passcode: 'x' }).success).toBe(false);
    expect(
      createPhoneBodySchema.safeParse({ name: 'a', host: '10.0.0.2', passcode: 'p', x: 1 }).success,
    ).toBe(false);
  });

  it('takes only keys from the closed list', () => {
    expect(keysBodySchema.safeParse({ keys: ['1', 'MPK48', 'LINE16', 'SOFT4', 'SPEAKER'] }).success).toBe(
      true,
    );
    expect(keysBodySchema.safeParse({ keys: ['MPK49'] }).success).toBe(false);
    expect(keysBodySchema.safeParse({ keys: ['1:2'] }).success).toBe(false);
    expect(keysBodySchema.safeParse({ keys: [] }).success).toBe(false);
  });

  it('takes only the known operations and lines', () => {
    expect(operationBodySchema.safeParse({ command: 'holdcall', line: 2 }).success).toBe(true);
    expect(operationBodySchema.safeParse({ command: 'REBOOT' }).success).toBe(false);
    expect(operationBodySchema.safeParse({ command: 'endcall', line: 0 }).success).toBe(false);
  });
});
