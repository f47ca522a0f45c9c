import type { SecondFactorChallenge, Session } from '@linedeck/contract';
import { PASSWORD_MIN_LENGTH } from '@linedeck/contract/limits';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import { sessionQueries } from '../../lib/queries.ts';
import { endSession, queryClient } from '../../lib/query-client.ts';
import { forgetTypedPassword, rememberTypedPassword, typedPassword } from './just-typed-password.ts';

export function useSignIn() {
  return useMutation({
    meta: { authAttempt: true },
    mutationFn: (body: { username: string; password: string }) =>
      api<Session | SecondFactorChallenge>('/api/session', { method: 'POST', body }),
    onSuccess: (answer, body) => {
      // A second factor is asked first: nobody is signed in yet.
      if (!('user' in answer)) {
        rememberTypedPassword(body.password);
        return;
      }
      signedIn(answer, body.password);
    },
  });
}

function signedIn(session: Session, password: string | undefined): void {
  // A temporary password: the change form sends it once more instead of asking for it again.
  if (session.user.mustChangePassword && password !== undefined) rememberTypedPassword(password);
  else forgetTypedPassword();
  queryClient.setQueryData(sessionQueries.current().queryKey, session.user);
}

/** The code step of a sign-in with a second factor: a code from the app, or a recovery code. */
export function useSecondFactor() {
  return useMutation({
    meta: { authAttempt: true },
    mutationFn: (body: { username: string; ticket: string; code: string }) =>
      api<Session>('/api/session/second-factor', { method: 'POST', body }),
    onSuccess: (session) => signedIn(session, typedPassword()),
  });
}

export function useSignOut() {
  return useMutation({
    mutationFn: () => api<unknown>('/api/session', { method: 'DELETE' }),
    // Whatever the server said, nothing of this user's stays in memory.
    onSettled: () => {
      forgetTypedPassword();
      endSession();
    },
  });
}

export function useChangePassword() {
  return useMutation({
    meta: { authAttempt: true },
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api<unknown>('/api/session/password', { method: 'POST', body }),
    // Used for this one request only: if it was refused the form asks for the current password.
    onSettled: forgetTypedPassword,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionQueries.current().queryKey }),
  });
}

/** The reason a new password is refused, or undefined when it is fine. */
export function newPasswordProblem(
  password: string,
  confirmation: string,
  current: string,
): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH)
    return `A password has at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > 256) return 'A password has at most 256 characters.';
  if (password === current) return 'Choose a password different from the current one.';
  // Too easy to guess is the server's verdict (the estimator's advice shows under the field meanwhile).
  if (password !== confirmation) return 'The two new passwords are not the same.';
  return undefined;
}
