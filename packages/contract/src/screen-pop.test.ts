import { describe, expect, it } from 'vitest';
import { expandScreenPop, screenPopBodySchema, screenPopProblem } from './screen-pop.ts';

const CRM = 'https://crm.example/search?phone={number}&name={name}';

describe('expandScreenPop', () => {
  it('URL-encodes every value, so a name cannot add parameters or change the path', () => {
    expect(expandScreenPop(CRM, { number: '+49 30 123', name: 'Müller & Söhne?x=1#top' })).toBe(
      'https://crm.example/search?phone=%2B49%2030%20123&name=M%C3%BCller%20%26%20S%C3%B6hne%3Fx%3D1%23top',
    );
    expect(expandScreenPop('https://crm.example/c/{number}', { number: '../../admin' })).toBe(
      'https://crm.example/c/..%2F..%2Fadmin',
    );
  });

  it('puts an empty string for a value the call does not have', () => {
    expect(expandScreenPop(CRM, { number: '2001' })).toBe('https://crm.example/search?phone=2001&name=');
  });

  it('refuses unknown placeholders instead of leaving them in the address', () => {
    expect(screenPopProblem('https://crm.example/?q={numbr}')).toMatch(/Unknown placeholder \{numbr\}/);
    expect(() => expandScreenPop('https://crm.example/?q={numbr}', { number: '1' })).toThrow(/numbr/);
  });

  it('accepts only http and https addresses', () => {
    expect(screenPopProblem('javascript:alert({number})')).toMatch(/http/);
    expect(screenPopProblem('{name}://x')).toMatch(/http/);
    expect(screenPopProblem('crm.example/?q={number}')).toMatch(/web address/);
    expect(screenPopProblem('http://crm.local/?q={number}')).toBeUndefined();
  });
});

describe('screenPopBodySchema', () => {
  it('reads an empty template as none and refuses a bad one with its reason', () => {
    expect(screenPopBodySchema.parse({ template: ' ', openOn: 'answered' })).toEqual({
      template: null,
      openOn: 'answered',
    });
    const bad = screenPopBodySchema.safeParse({ template: 'ftp://x/{number}', openOn: 'ringing' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/http/);
  });
});
