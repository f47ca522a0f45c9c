import { describe, expect, it } from 'vitest';
import { bookmarklet, handlerUrl, registerDialHandlers } from './protocol-handlers.ts';

const ORIGIN = 'https://linedeck.example';

describe('registerDialHandlers', () => {
  it('registers tel and sip with the /dial handler address', () => {
    const calls: [string, string][] = [];
    const nav = { registerProtocolHandler: (s: string, u: string) => void calls.push([s, u]) };
    expect(registerDialHandlers(nav, ORIGIN, true)).toEqual({ ok: true, schemes: ['tel', 'sip'] });
    expect(calls).toEqual([
      ['tel', 'https://linedeck.example/dial?number=%s'],
      ['sip', 'https://linedeck.example/dial?number=%s'],
    ]);
  });

  it('says why when the browser has no API, the page is not secure, or the browser refuses', () => {
    expect(registerDialHandlers({} as never, ORIGIN, true)).toMatchObject({ ok: false });
    const nav = {
      registerProtocolHandler: () => {
        throw new Error('SecurityError');
      },
    };
    expect(registerDialHandlers(nav, ORIGIN, false)).toMatchObject({ ok: false, reason: /https/ });
    expect(registerDialHandlers(nav, ORIGIN, true)).toMatchObject({ ok: false, reason: /SecurityError/ });
  });
});

describe('bookmarklet', () => {
  it('opens /dial with the selection encoded', () => {
    const code = bookmarklet(ORIGIN);
    expect(handlerUrl(ORIGIN)).toBe('https://linedeck.example/dial?number=%s');
    let opened = '';
    const run = new Function('getSelection', 'window', code.slice('javascript:'.length));
    run(() => ' +49 30 123 ', { open: (url: string) => (opened = url) });
    expect(opened).toBe('https://linedeck.example/dial?number=%2B49%2030%20123');
  });
});
