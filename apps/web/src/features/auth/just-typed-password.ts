/**
 * The password typed at sign-in, kept in memory only while the server asks for a new one: the
 * change-password route wants the current password, and asking for what was typed a second ago
 * is a chore. Never in storage, never in the query cache; forgotten once the change is sent, on
 * sign-out and on reload (a module variable dies with the page).
 */
let typed: string | undefined;

export function rememberTypedPassword(password: string): void {
  typed = password;
}

/** The password typed at sign-in, if this page still holds it. */
export function typedPassword(): string | undefined {
  return typed;
}

export function forgetTypedPassword(): void {
  typed = undefined;
}
