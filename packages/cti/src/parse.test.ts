import { describe, expect, it } from 'vitest';
import { CtiError } from './errors.ts';
import { parseLine, toFlag, toInt } from './parse.ts';

const parse = (item: unknown) => parseLine(item, 'api-get_line_status', 'h');

describe('line fields', () => {
  it.each([
    ['', null],
    [0, 0],
    ['0', 0],
    ['2', 2],
    [3, 3],
    [undefined, null],
    ['x', null],
    [-1, null],
  ])('acct %j -> account %j', (acct, account) => {
    expect(parse({ line: 1, state: 'idle', acct }).account).toBe(account);
  });

  it('prefers a non-empty remotenumber, falls back to remotenum, takes numbers as text', () => {
    expect(parse({ line: 1, remotenumber: '100', remotenum: '200' }).remoteNumber).toBe('100');
    expect(parse({ line: 1, remotenumber: '', remotenum: '200' }).remoteNumber).toBe('200');
    expect(parse({ line: 1, remotenum: 3501 }).remoteNumber).toBe('3501');
  });

  it('normalizes the case of known states and keeps the text of unknown ones', () => {
    expect(parse({ line: '2', state: 'OnHold' })).toMatchObject({ line: 2, state: 'onhold' });
    expect(parse({ line: 1, state: 'paging' })).toMatchObject({ state: 'unknown', rawState: 'paging' });
    expect(parse({ line: 1 })).toMatchObject({ state: 'unknown', rawState: '' });
    expect(parse({ line: 1, state: 'idle' })).not.toHaveProperty('rawState');
  });

  it.each([null, 'line', { state: 'idle' }, { line: 0 }, { line: 'one' }])(
    'refuses %j as malformed',
    (item) => {
      expect(() => parse(item)).toThrow(CtiError);
    },
  );
});

describe('scalars', () => {
  it('toInt accepts non-negative integers and digit strings only', () => {
    expect([toInt(5), toInt(' 7 '), toInt(1.5), toInt('1e3'), toInt(true), toInt('')]).toEqual([
      5,
      7,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('toFlag reads 1/"1"/true/"true" as true', () => {
    expect([1, '1', true, 'true', 0, '0', false, '', null, 2].map(toFlag)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
