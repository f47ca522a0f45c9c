/**
 * What zxcvbn-ts (the estimator the server decides with, users/passwords.ts) says of a new password as
 * it is typed. Its dictionaries are about 1 MB, so they load only when a password form first needs them,
 * in a chunk of their own: the sign-in page stays small. The server has the last word either way.
 */
import { PASSWORD_MIN_LENGTH } from '@linedeck/contract/limits';
import { useEffect, useState } from 'react';

/** The score the server asks for (0-4). */
export const MIN_PASSWORD_SCORE = 3;

export interface PasswordFeedback {
  score: number;
  /** Why it is weak, or '' */
  warning: string;
  suggestions: string[];
}

type Estimate = (password: string, userInputs: string[]) => PasswordFeedback;

let loading: Promise<Estimate> | undefined;

export function loadPasswordEstimator(): Promise<Estimate> {
  loading ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]).then(([core, common, en]) => {
    const factory = new core.ZxcvbnFactory({
      translations: en.translations,
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...en.dictionary },
    });
    return (password, userInputs) => {
      const result = factory.check(password.slice(0, 100), [...userInputs, 'linedeck']);
      return {
        score: result.score,
        warning: result.feedback.warning ?? '',
        suggestions: result.feedback.suggestions,
      };
    };
  });
  return loading;
}

/**
 * The estimate of `password` (undefined while empty, too short or the estimator still loading). The
 * estimator loads once a password is long enough to judge: building its dictionaries takes the page's
 * thread for a moment, which a form nobody types in should not pay.
 */
export function usePasswordFeedback(password: string, username: string): PasswordFeedback | undefined {
  const [feedback, setFeedback] = useState<PasswordFeedback | undefined>();
  useEffect(() => {
    if (password.length < PASSWORD_MIN_LENGTH) {
      setFeedback(undefined);
      return;
    }
    let live = true;
    // A short pause: a long password is not estimated again at every key.
    const timer = setTimeout(() => {
      loadPasswordEstimator().then(
        (estimate) => live && setFeedback(estimate(password, [username])),
        () => undefined, // Offline or blocked: the server still judges the password.
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [password, username]);
  return feedback;
}
