import { describe, expect, it } from 'vitest';
import { callerDetail, callerLabel, callerText } from './caller.ts';

const ada = { id: 'c1', name: 'Ada Lovelace', company: 'Engines' };

describe('caller display', () => {
  it('prefers the contact, then the phone name, then the number', () => {
    expect(callerLabel({ remoteName: 'ADA', remoteNumber: '123', contact: ada })).toBe('Ada Lovelace');
    expect(callerLabel({ remoteName: 'ADA', remoteNumber: '123' })).toBe('ADA');
    expect(callerLabel({ remoteName: '', remoteNumber: '123', contact: null })).toBe('123');
    expect(callerLabel({ remoteName: '', remoteNumber: '' })).toBe('Unknown caller');
  });

  it('details the company and the number once', () => {
    expect(callerDetail({ remoteName: '', remoteNumber: '123', contact: ada })).toBe('Engines · 123');
    expect(callerDetail({ remoteName: '', remoteNumber: '123' })).toBe('');
    expect(callerText({ remoteName: '', remoteNumber: '123', contact: ada })).toBe(
      'Ada Lovelace, Engines (123)',
    );
    expect(callerText({ remoteName: 'Bob', remoteNumber: '' })).toBe('Bob');
  });
});
