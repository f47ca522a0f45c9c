import { describe, expect, it, vi } from 'vitest';
import { api } from './api-client.ts';
import { AUTH_CHOICES, authChoiceLabel, phoneSaid, phoneWords } from './auth-text.ts';
import { errorText } from './error-text.ts';
import { adviceFor } from './status.ts';

describe('what an unauthorized phone said', () => {
  it("quotes the phone's count of attempts and its lock time", () => {
    expect(phoneSaid({ reason: 'wrong_credential', attemptsLeft: 4 })).toBe(
      'The phone said: wrong password, 4 attempts left.',
    );
    expect(phoneWords({ reason: 'locked', lockMinutes: 5 })).toBe('Locked for 5 minutes');
    expect(phoneSaid(undefined)).toBe("The phone rejected LineDeck's password.");
  });

  it('a card says it with the advice that LineDeck stopped', () => {
    const { short, advice } = adviceFor({
      status: 'unauthorized',
      error: {
        code: 'phone_auth_failed',
        message: 'x',
        auth: { reason: 'wrong_credential', attemptsLeft: 1 },
      },
    });
    expect(short).toBe(
      'The phone said: wrong password, 1 attempt left. LineDeck stopped trying until the password is changed or Test connection is pressed.',
    );
    expect(advice).toContain('Test connection');
    expect(adviceFor({ status: 'available' }).short).toBeUndefined();
  });

  it('names every sign-in choice of the contract', () => {
    expect(AUTH_CHOICES.map((c) => c.value)).toEqual(['passcode', 'session', 'detect']);
    expect(authChoiceLabel('session')).toBe('Web session');
  });
});

describe('an API error for a refused password', () => {
  it("carries the phone's words from the error body into the sentence", async () => {
    const body = {
      error: {
        code: 'phone_auth_failed',
        message: 'The phone refused the stored credential.',
        requestId: 'r1',
        auth: { reason: 'wrong_credential', attemptsLeft: 3 },
      },
    };
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify(body), { status: 502 })),
    );
    try {
      const error = await api('/api/phones/p/test', { method: 'POST' }).catch((e: unknown) => e);
      expect(errorText(error)).toBe(
        "The phone rejected LineDeck's password: wrong password, 3 attempts left.",
      );
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
