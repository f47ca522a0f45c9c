/**
 * Words and defaults the web app needs as values, kept free of zod (and of anything that imports it) so
 * taking them does not bring zod into the browser bundle (limits.test.ts checks it). The schemas that
 * use them are in webhooks.ts and directory.ts.
 */

/** The events a webhook may subscribe to. */
export const WEBHOOK_EVENTS = [
  'call.ringing',
  'call.answered',
  'call.missed',
  'call.ended',
  'phone.offline',
  'phone.online',
  'campaign.started',
  'campaign.paused',
  'campaign.finished',
] as const;
/** What "Send test event" sends: never subscribed to, sent only when asked. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';
/** The directory settings a new directory starts from (Active Directory and OpenLDAP both have these). */
export const DIRECTORY_DEFAULT_FILTER = '(objectClass=person)';
export const DIRECTORY_DEFAULT_MAPPING = {
  name: ['displayName', 'cn'],
  company: ['company', 'o'],
  numbers: ['telephoneNumber', 'mobile', 'homePhone', 'ipPhone'],
} as const;
