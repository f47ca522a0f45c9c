import { describe, expect, it } from 'vitest';
import { tabTitle } from './use-ringing-tab.ts';

describe('tabTitle', () => {
  it('puts unseen missed calls before the page title, and a ringing call above all', () => {
    expect(tabTitle('Calls · LineDeck', undefined, 0)).toBe('Calls · LineDeck');
    expect(tabTitle('Calls · LineDeck', undefined, 2)).toBe('(2) Calls · LineDeck');
    expect(tabTitle('Calls · LineDeck', 'Ringing: Ada · LineDeck', 2)).toBe('Ringing: Ada · LineDeck');
  });
});
