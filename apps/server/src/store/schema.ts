/**
 * The tables as Kysely sees them: one interface per table, in one place, so every repository's query is
 * type-checked against the same columns. The columns are made by ./migrations/ (which the type does not
 * follow by itself: a migration that adds a column adds it here too).
 *
 * Types are the ones both SQLite and Postgres return: text, numbers, and 0/1 for booleans (SQLite has no
 * boolean; Postgres columns are `integer` to match). Times are ISO text, except the session times that
 * every request compares (epoch milliseconds, `bigint`, read back as numbers: see database.ts).
 */
import type { Generated, Kysely } from 'kysely';

export interface PhonesTable {
  id: string;
  name: string;
  host: string;
  passcode_enc: string;
  model: string | null;
  firmware: string | null;
  /** 1 for the demo fleet started when nothing is configured: dropped at the next boot. */
  simulated: Generated<number>;
  allow_self_signed: Generated<number>;
  auth_scheme: Generated<string>;
  username: Generated<string>;
  hook_token_enc: string | null;
  created_at: string;
  updated_at: string;
}

export interface UsersTable {
  id: string;
  username: string;
  password_hash: string;
  role: string;
  /** JSON list of phone ids. */
  phone_ids: Generated<string>;
  disabled: Generated<number>;
  must_change_password: Generated<number>;
  created_at: string;
  updated_at: string;
  /** Sealed TOTP secret (012); used only once `totp_enabled` is 1. */
  totp_secret: string | null;
  totp_enabled: Generated<number>;
  /** The last 30 s step a code was accepted for (012): no code works twice. */
  totp_last_step: number | null;
  /** The password rule version the stored password was judged against (015); 0: not yet. */
  password_rule: Generated<number>;
}

export interface DisplayKeysTable {
  id: string;
  name: string;
  secret_hash: string;
  phone_ids: Generated<string>;
  created_at: string;
  last_used_at: string | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string | null;
  display_key_id: string | null;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  /** Where the session was signed in from (012), shown to its user. */
  user_agent: string | null;
  address: string | null;
}

/** An admin's one-time TOTP recovery codes, as SHA-256 (012). */
export interface RecoveryCodesTable {
  code_hash: string;
  user_id: string;
  used_at: string | null;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  role: string;
  secret_hash: string;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  /** ISO date-time after which the token is refused; null: until revoked (011). */
  expires_at: string | null;
  /** JSON list of phone ids it is limited to; null: all phones (011). */
  phone_ids: string | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  user_id: string | null;
  username: string | null;
  role: string | null;
  address: string | null;
  phone_id: string | null;
  action: string;
  params_json: Generated<string>;
  result: string;
}

export interface ContactsTable {
  id: string;
  name: string;
  company: string | null;
  number: string;
  number_key: string;
  notes: string | null;
  /** Insertion order: breaks ties between contacts made at the same instant (an import). */
  seq: Generated<number>;
  /** `number` in E.164 under DEFAULT_COUNTRY, or null (extensions, feature codes). */
  e164: string | null;
  extension: string | null;
  email: string | null;
  /** JSON list of `{ label, number, e164, extension }`. */
  other_numbers: Generated<string>;
  /** Lower case, accents dropped, numbers' digits and E.164 included (contacts/search-text.ts). */
  search_text: Generated<string>;
  created_at: string;
  updated_at: string;
}

/** One call of the journal (store/migrations/009, calls/calls-repository.ts). Times are ISO text in UTC. */
export interface CallsTable {
  id: string;
  phone_id: string;
  line: number;
  account: number | null;
  direction: string;
  /** Null while the call is in progress. */
  outcome: string | null;
  remote_number: string;
  remote_e164: string | null;
  /** numberDigits(remote_number), filled by the repository. */
  remote_digits: string;
  remote_name: string;
  contact_id: string | null;
  contact_name: string | null;
  contact_company: string | null;
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  ring_seconds: number;
  talk_seconds: number;
  hold_seconds: number;
  transfer_target: string | null;
  dialled_by: string | null;
  answered_by: string | null;
  ended_by: string | null;
  interrupted: Generated<number>;
  turned_away: string | null;
  last_seen_at: string;
  /** Names normalized (contacts/search-text.ts), the number's digits and E.164: filled by the repository. */
  search_text: string;
}

/** Each user's "missed calls seen up to" mark. */
export interface CallsSeenTable {
  user_id: string;
  seen_before: string;
}

/** A dial list the server runs (store/migrations/010, campaigns/campaigns-repository.ts). */
export interface CampaignsTable {
  id: string;
  name: string;
  mode: string;
  state: string;
  /** JSON list of phone ids, in the order the campaign shows them. */
  phone_ids: string;
  wrap_up_seconds: number;
  ring_timeout_seconds: number;
  max_attempts: number;
  retry_after_minutes: number;
  /** JSON `{ from, to, timeZone, days? }`, null for none. */
  calling_hours: string | null;
  paused_by: string | null;
  created_by_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface CampaignEntriesTable {
  id: string;
  campaign_id: string;
  position: number;
  number: string;
  e164: string | null;
  digits: string;
  name: string | null;
  note: string | null;
  state: string;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  callback_at: string | null;
  phone_id: string | null;
  outcome: string | null;
  talk_seconds: Generated<number>;
  call_id: string | null;
  /** When the current (or last) attempt was dialled. */
  dialled_at: string | null;
  updated_at: string;
}

export interface DoNotCallTable {
  id: string;
  number: string;
  e164: string | null;
  digits: string;
  note: string | null;
  created_by: string | null;
  created_at: string;
}

/** A webhook (store/migrations/013, webhooks/webhooks-repository.ts). */
export interface WebhooksTable {
  id: string;
  url: string;
  /** JSON list of event names. */
  events: string;
  enabled: number;
  /** The signing secret, sealed by the store's secret box (bound to the webhook id). */
  secret_sealed: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** One delivery of one event to one webhook: the outbox and the delivery log. */
export interface WebhookOutboxTable {
  id: string;
  webhook_id: string;
  event: string;
  /** The JSON body exactly as it is sent (and signed). */
  payload: string;
  state: string;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  status_code: number | null;
  error: string | null;
  redelivery_of: string | null;
  created_at: string;
  delivered_at: string | null;
  /** When it was delivered or given up (what pruning goes by). */
  finished_at: string | null;
  /** The call a call.* delivery is about (store/migrations/018); null for other events and redeliveries. */
  call_id: Generated<string | null>;
}

/** A user's screen pop (store/migrations/014, users/screen-pop.ts). */
export interface ScreenPopsTable {
  user_id: string;
  template: string;
  /** 'ringing' or 'answered'. */
  open_on: string;
  updated_at: string;
}

/** The directory's settings, one row 'default' (store/migrations/017, directory/directory-repository.ts). */
export interface DirectorySettingsTable {
  id: string;
  enabled: number;
  url: string;
  bind_dn: string;
  /** The bind password sealed by the store's secret box (bound to the row id); null for none. */
  password_sealed: string | null;
  /** PEM of the CA(s) an ldaps:// directory is checked against; null: the system's CAs. */
  ca_certificate: string | null;
  base_dn: string;
  filter: string;
  /** JSON: { name: string[], company: string[], numbers: string[] }. */
  mapping: string;
  refresh_minutes: number;
  updated_at: string;
}

export interface Schema {
  phones: PhonesTable;
  users: UsersTable;
  display_keys: DisplayKeysTable;
  sessions: SessionsTable;
  recovery_codes: RecoveryCodesTable;
  api_tokens: ApiTokensTable;
  audit: AuditTable;
  contacts: ContactsTable;
  calls: CallsTable;
  calls_seen: CallsSeenTable;
  campaigns: CampaignsTable;
  campaign_entries: CampaignEntriesTable;
  do_not_call: DoNotCallTable;
  screen_pops: ScreenPopsTable;
  webhooks: WebhooksTable;
  webhook_outbox: WebhookOutboxTable;
  directory_settings: DirectorySettingsTable;
}

/** The database every repository takes: a Kysely instance or a transaction of one. */
export type Db = Kysely<Schema>;
