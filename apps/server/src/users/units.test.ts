/** The small pure parts of sign-in: password hashing, the cookie reader, the origin check, the roles table. */
import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import type { Action, Principal } from '../access/access.ts';
import {
  ALL_ACTIONS,
  canControlPhone,
  canSeePhone,
  isAllowed,
  visiblePhoneIds,
} from '../access/permissions.ts';
import { readCookie } from './cookies.ts';
import { originVerdict } from './csrf.ts';
import { generatePassword, hashPassword, SCRYPT_DEFAULTS, verifyDummy, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('hashes with scrypt at the default cost (salted: two hashes differ) and verifies', async () => {
    const one = await hashPassword('correct horse battery');
    const two = await hashPassword('correct horse battery');
    expect(one).toMatch(
      new RegExp(`^scrypt\\$${SCRYPT_DEFAULTS.N}\\$8\\$3\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}$`),
    );
    expect(one).not.toBe(two);
    expect(await verifyPassword('correct horse battery', one)).toBe(true);
    expect(await verifyPassword('correct horse batterY', one)).toBe(false);
    expect(await verifyPassword('', one)).toBe(false);
  });

  it('verifies with the parameters stored in the hash, and never matches a malformed one', async () => {
    const cheap = await hashPassword('pw-with-cheap-cost', { N: 1024, r: 8, p: 1 });
    expect(await verifyPassword('pw-with-cheap-cost', cheap)).toBe(true);
    for (const bad of [
      '',
      'plain',
      'scrypt$1024$8$1$$',
      'bcrypt$1$2$3$4$5',
      cheap.replace('$1024$', '$9999999$'),
    ]) {
      expect(await verifyPassword('pw-with-cheap-cost', bad)).toBe(false);
    }
  });

  it('treats composed and decomposed Unicode as the same password', async () => {
    const stored = await hashPassword('caf\u00e9-password', { N: 1024, r: 8, p: 1 });
    expect(await verifyPassword('cafe\u0301-password', stored)).toBe(true);
  });

  it('an unknown user costs a real verification and never succeeds', async () => {
    expect(await verifyDummy('anything')).toBe(false);
  });

  it('generated passwords are 20 unambiguous characters, different every time', () => {
    const seen = new Set(Array.from({ length: 50 }, () => generatePassword()));
    expect(seen.size).toBe(50);
    for (const p of seen)
      expect(p).toMatch(/^[abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789]{20}$/);
  });
});

describe('readCookie', () => {
  it('finds the one cookie among others, and nothing else', () => {
    expect(readCookie('a=1; linedeck_session=lds_x; b=2', 'linedeck_session')).toBe('lds_x');
    expect(readCookie('linedeck_session="quoted"', 'linedeck_session')).toBe('quoted');
    expect(readCookie('xlinedeck_session=nope', 'linedeck_session')).toBeUndefined();
    expect(readCookie('linedeck_session=%E0%A4%A', 'linedeck_session')).toBeUndefined();
    expect(readCookie(undefined, 'linedeck_session')).toBeUndefined();
    expect(readCookie('linedeck_session=first; linedeck_session=second', 'linedeck_session')).toBe('first');
  });
});

describe('originVerdict', () => {
  const req = (headers: Record<string, string>, host = 'linedeck.lan:8080') =>
    ({ headers: { host, ...headers }, host, protocol: 'http' }) as unknown as Request;

  it('same origin only when Origin names this host and port', () => {
    expect(originVerdict(req({ origin: 'http://linedeck.lan:8080' }))).toBe('same-origin');
    expect(originVerdict(req({ origin: 'http://LineDeck.lan:8080' }))).toBe('same-origin');
    expect(originVerdict(req({ origin: 'https://linedeck.lan:8080' }))).toBe('cross-site');
    expect(originVerdict(req({ origin: 'http://linedeck.lan' }))).toBe('cross-site');
    expect(originVerdict(req({ origin: 'http://linedeck.lan:8080.evil.example' }))).toBe('cross-site');
    expect(originVerdict(req({ origin: 'null' }))).toBe('cross-site');
    expect(originVerdict(req({ origin: 'not a url' }))).toBe('cross-site');
  });

  it('Origin wins over Sec-Fetch-Site; without either the request is unknown', () => {
    expect(originVerdict(req({ origin: 'http://evil.example', 'sec-fetch-site': 'same-origin' }))).toBe(
      'cross-site',
    );
    expect(originVerdict(req({ 'sec-fetch-site': 'same-origin' }))).toBe('same-origin');
    expect(originVerdict(req({ 'sec-fetch-site': 'same-site' }))).toBe('cross-site');
    expect(originVerdict(req({ 'sec-fetch-site': 'none' }))).toBe('cross-site');
    expect(originVerdict(req({}))).toBe('unknown');
  });
});

describe('roles', () => {
  const p = (role: Principal['role'], phoneIds: string[] = []): Principal => ({
    userId: 'u',
    username: 'u',
    role,
    phoneIds,
  });
  const allowed = (principal: Principal) => ALL_ACTIONS.filter((a) => isAllowed(principal, a));

  it('viewer reads, operator also controls calls and keys, admin does everything', () => {
    expect(allowed(p('viewer'))).toEqual([
      'phones:read',
      'events:read',
      'cti:read',
      'contacts:read',
      'calls:read',
    ]);
    expect(allowed(p('operator'))).toEqual([
      'phones:read',
      'calls:control',
      'keys:send',
      'events:read',
      'cti:read',
      'cti:command',
      'contacts:read',
      'contacts:manage',
      'calls:read',
    ]);
    expect(allowed(p('admin'))).toEqual(ALL_ACTIONS);
  });

  it('an operator with phones controls only those and sees all; a viewer with phones sees only those', () => {
    const op = p('operator', ['a']);
    expect(canControlPhone(op, 'a')).toBe(true);
    expect(canControlPhone(op, 'b')).toBe(false);
    expect(canSeePhone(op, 'b')).toBe(true);
    expect(visiblePhoneIds(op)).toBeNull();
    const wall = p('viewer', ['a']);
    expect(canSeePhone(wall, 'b')).toBe(false);
    expect(visiblePhoneIds(wall)).toEqual(['a']);
    expect(canControlPhone(wall, 'a')).toBe(false);
    expect(isAllowed(p('admin', ['a']), 'system:reset' as Action, 'b')).toBe(true);
  });
});
