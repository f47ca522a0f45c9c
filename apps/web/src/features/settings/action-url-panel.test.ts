import { describe, expect, it } from 'vitest';
import { ACTION_URL_EVENTS, agoText, eventUrl, isLoopbackUrl } from './action-url-panel.tsx';

describe('Action URL helpers', () => {
  it('adds the event to the URL', () => {
    expect(eventUrl('http://ld:8080/hooks/action-url/p1', 'incoming')).toBe(
      'http://ld:8080/hooks/action-url/p1?event=incoming',
    );
    expect(eventUrl('http://ld/h?x=1', 'hold')).toBe('http://ld/h?x=1&event=hold');
    // Call events ask the phone for the caller's number and name.
    expect(eventUrl('http://ld/hooks/action-url/p1/tok', 'incoming', true)).toBe(
      'http://ld/hooks/action-url/p1/tok?event=incoming&remote=$remote&name=$display_remote',
    );
  });

  it('lists the events of docs/phone-setup.md', () => {
    expect(ACTION_URL_EVENTS.map((e) => e.event)).toEqual([
      'incoming',
      'outgoing',
      'established',
      'terminated',
      'missed',
      'hold',
      'unhold',
      'dnd_on',
      'dnd_off',
      'forward_on',
      'forward_off',
    ]);
  });

  it('says how long ago', () => {
    expect(agoText(12_400)).toBe('12 s ago');
    expect(agoText(4 * 60_000)).toBe('4 min ago');
    expect(agoText(2 * 3_600_000)).toBe('2 h ago');
    expect(agoText(3 * 86_400_000)).toBe('3 d ago');
  });

  it("knows this computer's own addresses", () => {
    expect(isLoopbackUrl('http://127.0.0.1:8080/hooks/action-url/a')).toBe(true);
    expect(isLoopbackUrl('http://localhost/hooks/action-url/a')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:8080/x')).toBe(true);
    expect(isLoopbackUrl('http://192.168.1.10:8080/x')).toBe(false);
    expect(isLoopbackUrl('not a url')).toBe(false);
  });
});
