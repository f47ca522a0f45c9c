import type { Call, SessionUser } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import { notifiesFor } from './use-missed-notifications.ts';

const user = (phoneIds: string[]): SessionUser =>
  ({
    id: 'u',
    username: 'u',
    role: 'operator',
    phoneIds,
    mustChangePassword: false,
  }) as unknown as SessionUser;
const call = (patch: Partial<Call>) =>
  ({ phoneId: 'p1', direction: 'incoming', outcome: 'missed', ...patch }) as Call;

describe('notifiesFor', () => {
  it("notifies missed calls of the user's phones, else of the open console's phone", () => {
    expect(notifiesFor(user(['p1']), call({}), undefined)).toBe(true);
    expect(notifiesFor(user(['p2']), call({}), 'p1')).toBe(false);
    expect(notifiesFor(user([]), call({}), 'p1')).toBe(true);
    expect(notifiesFor(user([]), call({}), undefined)).toBe(false);
  });

  it('notifies only missed incoming calls', () => {
    expect(notifiesFor(user(['p1']), call({ outcome: 'answered' }), undefined)).toBe(false);
    expect(notifiesFor(user(['p1']), call({ outcome: null }), undefined)).toBe(false);
    expect(notifiesFor(user(['p1']), call({ direction: 'outgoing', outcome: 'no_answer' }), undefined)).toBe(
      false,
    );
  });
});
