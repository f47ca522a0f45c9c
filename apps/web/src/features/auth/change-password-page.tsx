import type { SessionUser } from '@linedeck/contract';
import { type FormEvent, useEffect, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Field } from '../../components/ui/field.tsx';
import { errorText } from '../../lib/error-text.ts';
import { toast } from '../../lib/toasts.ts';
import { typedPassword } from './just-typed-password.ts';
import { PasswordStrength } from './password-feedback.tsx';
import { SignOutButton } from './sign-out-button.tsx';
import { newPasswordProblem, useChangePassword } from './use-auth.ts';

/** First start (or after an admin reset): the user must choose their own password before anything else. */
export function ChangePasswordPage({ user }: { user: SessionUser }) {
  // Just signed in with the temporary password: it is still in memory, so it is not asked again.
  // After a reload, or once the server refused it, the form asks for it.
  const [remembered, setRemembered] = useState(typedPassword);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const change = useChangePassword();
  const askCurrent = remembered === undefined;

  useEffect(() => {
    document.title = 'Choose a new password · LineDeck';
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (change.isPending) return;
    const currentPassword = remembered ?? current;
    const reason = newPasswordProblem(next, confirmation, currentPassword);
    setProblem(reason);
    if (reason) return;
    change.mutate(
      { currentPassword, newPassword: next },
      {
        onSuccess: () => toast.success('Your password is changed.'),
        onSettled: () => setRemembered(undefined),
      },
    );
  };

  return (
    <main id="main" className="flex min-h-dvh items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-2xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <h1 className="mb-1 font-semibold text-2xl">Choose a new password</h1>
        <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">
          Signed in as <strong>{user.username}</strong>. The password you used was temporary, or is too easy
          to guess by today's rule: choose your own to continue.
        </p>
        <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
          {askCurrent && (
            <Field
              label="Current password"
              type="password"
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
            />
          )}
          <Field
            label="New password"
            type="password"
            autoComplete="new-password"
            aria-describedby="new-password-strength"
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
          <PasswordStrength id="new-password-strength" password={next} username={user.username} />
          <Field
            label="Repeat new password"
            type="password"
            autoComplete="new-password"
            value={confirmation}
            onChange={(e) => setConfirmation(e.target.value)}
            error={problem}
          />
          {change.error && (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              {(change.error as { code?: string }).code === 'unauthenticated'
                ? 'The current password is not right.'
                : errorText(change.error)}
            </p>
          )}
          <Button type="submit" variant="primary" size="lg" pending={change.isPending}>
            Change password
          </Button>
        </form>
        <div className="mt-4 flex justify-end">
          <SignOutButton />
        </div>
      </div>
    </main>
  );
}
