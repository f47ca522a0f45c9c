/**
 * A phone that refused LineDeck's credential, in words: what the phone itself said ("wrong password,
 * 4 attempts left", "locked for 5 minutes") and why LineDeck went quiet. LineDeck sends a refused
 * credential once and then stops, because newer firmware locks the account after 5 failures; people
 * need to know both what the phone counts and that nothing more will be tried on its own.
 */
import type { AuthFailureView, PhoneAuthChoice } from '@linedeck/contract';
import { describeAuthFailure } from '@linedeck/cti/auth-failure';

/** What LineDeck does about it, for every place that shows an unauthorized phone. */
export const AUTH_STOPPED =
  'LineDeck stopped trying so that the phone does not lock the account. It tries again once the password is changed in Settings → Phones, or when Test connection is pressed.';

/** When LineDeck asks again, for the short forms. */
export const AUTH_RESUMES_WHEN = 'until the password is changed or Test connection is pressed';

/** The same in fewer words (a fleet card, a settings row). */
export const AUTH_STOPPED_SHORT = `LineDeck stopped trying ${AUTH_RESUMES_WHEN}.`;

/** "The phone said: wrong password, 4 attempts left." Or, without details, that the password was rejected. */
export function phoneSaid(auth: AuthFailureView | undefined): string {
  return auth ? `The phone said: ${describeAuthFailure(auth)}.` : "The phone rejected LineDeck's password.";
}

/** The phone's own words with a capital: "Wrong password, 4 attempts left" (a wall tile, a table cell). */
export function phoneWords(auth: AuthFailureView | undefined): string {
  const words = auth ? describeAuthFailure(auth) : 'password rejected';
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The Sign-in choices of a phone, as the settings form and table name them. */
export const AUTH_CHOICES: readonly { value: PhoneAuthChoice; label: string; help: string }[] = [
  {
    value: 'passcode',
    label: 'Passcode',
    help: "The guide's CTI passcode on every request: for most GRP26xx firmware.",
  },
  {
    value: 'session',
    label: 'Web session',
    help: "A web login, as the phone's web page does: newer firmware that accepts nothing else (GRP2601P 1.0.7.x and later, random per-unit passwords).",
  },
  {
    value: 'detect',
    label: 'Detect',
    help: 'Tries the passcode once, then one web login if the phone asks for it; keeps what worked.',
  },
];

/** "Passcode", "Web session", "Detect". */
export function authChoiceLabel(choice: PhoneAuthChoice): string {
  return AUTH_CHOICES.find((c) => c.value === choice)?.label ?? choice;
}
