import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Field } from '../../components/ui/field.tsx';
import { errorText } from '../../lib/error-text.ts';
import { useSecondFactor, useSignIn } from './use-auth.ts';

export function SignInPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useSignIn();
  const challenge = signIn.data && 'ticket' in signIn.data ? signIn.data : undefined;

  useEffect(() => {
    document.title = 'Sign in · LineDeck';
  }, []);

  const [missing, setMissing] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (signIn.isPending) return;
    setMissing(!username.trim() || !password);
    if (!username.trim() || !password) return;
    signIn.mutate({ username: username.trim(), password });
  };

  const error = missing
    ? 'Type your username and password.'
    : failureText(signIn.error, 'Wrong username or password.');

  if (challenge) {
    return <CodeStep username={username.trim()} ticket={challenge.ticket} onRestart={() => signIn.reset()} />;
  }

  return (
    <SignInCard
      title="LineDeck"
      intro="Sign in to see and control your phones."
      onSubmit={submit}
      error={error}
      actions={
        <Button type="submit" variant="primary" size="lg" pending={signIn.isPending}>
          Sign in
        </Button>
      }
    >
      <Field
        label="Username"
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={username}
        onChange={(e) => setUsername(e.target.value)}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
    </SignInCard>
  );
}

/** What a refused step says: `refused` when the server did not accept what was typed, else why it failed. */
function failureText(error: unknown, refused: string): string | undefined {
  if (!error) return undefined;
  return (error as { code?: string }).code === 'unauthenticated' ? refused : errorText(error);
}

/** The card both sign-in steps are shown in: a title, a line of help, the fields, the error, the buttons. */
function SignInCard({
  title,
  intro,
  onSubmit,
  error,
  actions,
  children,
}: {
  title: string;
  intro: string;
  onSubmit: (event: FormEvent) => void;
  error: string | undefined;
  actions: ReactNode;
  children: ReactNode;
}) {
  return (
    <main id="main" className="flex min-h-dvh items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-2xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <h1 className="mb-1 font-semibold text-2xl">{title}</h1>
        <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">{intro}</p>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          {children}
          {error && (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              {error}
            </p>
          )}
          {actions}
        </form>
      </div>
    </main>
  );
}

/** After the password of an account with a second factor: the code from the app, or a recovery code. */
function CodeStep({
  username,
  ticket,
  onRestart,
}: {
  username: string;
  ticket: string;
  onRestart: () => void;
}) {
  const [code, setCode] = useState('');
  const verify = useSecondFactor();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (verify.isPending || !code.trim()) return;
    verify.mutate({ username, ticket, code: code.trim() });
  };
  const error = failureText(
    verify.error,
    'That code did not work. Type the current code, or start again if a few minutes went by.',
  );
  return (
    <SignInCard
      title="Second step"
      intro={`Type the 6-digit code your authenticator app shows for LineDeck (${username}), or one of your recovery codes.`}
      onSubmit={submit}
      error={error}
      actions={
        <>
          <Button type="submit" variant="primary" size="lg" pending={verify.isPending}>
            Verify
          </Button>
          <Button type="button" variant="ghost" onClick={onRestart}>
            Start again
          </Button>
        </>
      }
    >
      <Field
        label="Code"
        name="code"
        autoComplete="one-time-code"
        autoCapitalize="none"
        spellCheck={false}
        autoFocus
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
    </SignInCard>
  );
}
