/**
 * Every schema step, in order. TO ADD ONE: a new file `NNN-what.ts` with the next number, appended here.
 * Never edit or reorder a step that has shipped: databases in the field have already run it.
 *
 * 001 to 006 are the steps SQLite databases ran before this runner existed (recorded then in
 * `user_version`, one number per step): migrate.ts marks those as done instead of running them again.
 */
import { phones } from './001-phones.ts';
import { users } from './002-users.ts';
import { audit } from './003-audit.ts';
import { contacts } from './004-contacts.ts';
import { phonesAllowSelfSigned } from './005-phones-allow-self-signed.ts';
import { phonesCredentialHookToken } from './006-phones-credential-hook-token.ts';
import { contactsSeq } from './007-contacts-seq.ts';
import { contactsNumbers } from './008-contacts-numbers.ts';
import { calls } from './009-calls.ts';
import { campaigns } from './010-campaigns.ts';
import { tokensOwner } from './011-tokens-owner.ts';
import { accounts } from './012-accounts.ts';
import { webhooks } from './013-webhooks.ts';
import { screenPop } from './014-screen-pop.ts';
import { usersPasswordRule } from './015-users-password-rule.ts';
import { callsTurnedAway } from './016-calls-turned-away.ts';
import { directory } from './017-directory.ts';
import { webhookOutboxCallEvents } from './018-webhook-outbox-call-events.ts';
import { directoryCaCertificate } from './019-directory-ca-certificate.ts';
import type { StoreMigration } from './types.ts';

export type { StoreMigration } from './types.ts';

export const migrations: readonly StoreMigration[] = [
  phones,
  users,
  audit,
  contacts,
  phonesAllowSelfSigned,
  phonesCredentialHookToken,
  contactsSeq,
  contactsNumbers,
  calls,
  campaigns,
  tokensOwner,
  accounts,
  webhooks,
  screenPop,
  usersPasswordRule,
  callsTurnedAway,
  directory,
  webhookOutboxCallEvents,
  directoryCaCertificate,
];

/** How many steps the runner before this one had (its `user_version` 1..6 are 001..006 here). */
export const LEGACY_STEPS = 6;
