import { type FormEvent, useEffect, useState } from 'react';
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
    : signIn.error
      ? (signIn.error as { code?: string }).code === 'unauthenticated'
        ? 'Wrong username or password.'
        : errorText(signIn.error)
      : undefined;

  if (challenge) {
    return <CodeStep username={username.trim()} ticket={challenge.ticket} onRestart={() => signIn.reset()} />;
  }

  return (
    <main id="main" className="flex min-h-dvh items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-2xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <h1 className="mb-1 font-semibold text-2xl">LineDeck</h1>
        <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">
          Sign in to see and control your phones.
        </p>
        <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
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
          {error && (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              {error}
            </p>
          )}
          <Button type="submit" variant="primary" size="lg" pending={signIn.isPending}>
            Sign in
          </Button>
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
  const error = verify.error
    ? (verify.error as { code?: string }).code === 'unauthenticated'
      ? 'That code did not work. Type the current code, or start again if a few minutes went by.'
      : errorText(verify.error)
    : undefined;
  return (
    <main id="main" className="flex min-h-dvh items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-2xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <h1 className="mb-1 font-semibold text-2xl">Second step</h1>
        <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">
          Type the 6-digit code your authenticator app shows for LineDeck ({username}), or one of your
          recovery codes.
        </p>
        <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
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
          {error && (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              {error}
            </p>
          )}
          <Button type="submit" variant="primary" size="lg" pending={verify.isPending}>
            Verify
          </Button>
          <Button type="button" variant="ghost" onClick={onRestart}>
            Start again
          </Button>
        </form>
      </div>
    </main>
  );
}
