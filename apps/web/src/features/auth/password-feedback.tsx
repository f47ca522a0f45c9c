import { PASSWORD_MIN_LENGTH } from '@linedeck/contract/limits';
import { MIN_PASSWORD_SCORE, usePasswordFeedback } from './password-strength.ts';

const LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'];

/** Live advice under a new-password field: the estimator's verdict in words, announced politely. */
export function PasswordStrength({
  id,
  password,
  username,
}: {
  id?: string;
  password: string;
  username: string;
}) {
  const feedback = usePasswordFeedback(password, username);
  let text = `At least ${PASSWORD_MIN_LENGTH} characters, not easy to guess: several unrelated words work well.`;
  let tone = 'text-zinc-600 dark:text-zinc-400';
  if (feedback) {
    const ok = feedback.score >= MIN_PASSWORD_SCORE;
    const advice = ok ? '' : [feedback.warning, ...feedback.suggestions].filter(Boolean).join(' ');
    text = `${LABELS[feedback.score] ?? ''}${ok ? ': good.' : `: too easy to guess. ${advice}`}`.trim();
    tone = ok ? 'text-green-800 dark:text-green-300' : 'text-red-700 dark:text-red-300';
  }
  return (
    <p id={id} aria-live="polite" data-testid="password-strength" className={`text-sm ${tone}`}>
      {text}
    </p>
  );
}
