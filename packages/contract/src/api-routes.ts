/**
 * Every operation the server mounts, in one table beside the schemas it validates with: the OpenAPI
 * document (openapi.ts) is generated from it, and a server test walks the real Express app and fails
 * when a mounted route is missing here or a row names a route that does not exist. Documenting a new
 * route is one row: method, Express path, summary, who may call it, and the schemas it already uses.
 */
import { z } from 'zod';
import {
  accountSchema,
  accountSessionSchema,
  recoveryCodesSchema,
  secondFactorBodySchema,
  secondFactorChallengeSchema,
  totpCodeBodySchema,
  totpEnrolmentSchema,
} from './accounts.ts';
import {
  callPageSchema,
  callsQuerySchema,
  callsTodaySchema,
  missedCountSchema,
  missedSeenBodySchema,
} from './calls.ts';
import {
  addDoNotCallBodySchema,
  addDoNotCallResultSchema,
  campaignEntriesQuerySchema,
  campaignEntryPageSchema,
  campaignEntrySchema,
  campaignImportResultSchema,
  campaignListSchema,
  campaignNextBodySchema,
  campaignNextResultSchema,
  campaignOutcomeBodySchema,
  campaignSchema,
  createCampaignBodySchema,
  createCampaignResultSchema,
  doNotCallListSchema,
  importCampaignEntriesBodySchema,
  removeDoNotCallBodySchema,
  updateCampaignBodySchema,
} from './campaigns.ts';
import {
  contactSourceSchema,
  directorySettingsBodySchema,
  directoryTestResultSchema,
  directoryViewSchema,
} from './directory.ts';
import { conferenceBodySchema, flowLineBodySchema, flowResultSchema, transferBodySchema } from './flows.ts';
import {
  apiTokenSchema,
  auditPageSchema,
  changePasswordBodySchema,
  commandResultSchema,
  contactPageSchema,
  contactSchema,
  createApiTokenBodySchema,
  createContactBodySchema,
  createDisplayKeyBodySchema,
  createdSecretSchema,
  createPhoneBodySchema,
  createUserBodySchema,
  diagnosisSchema,
  displayKeySchema,
  dndBodySchema,
  forwardBodySchema,
  importContactsBodySchema,
  importResultSchema,
  keysBodySchema,
  makeCallBodySchema,
  operationBodySchema,
  phoneSchema,
  phoneStateSchema,
  publicSettingsSchema,
  sessionSchema,
  signInBodySchema,
  systemBodySchema,
  updateContactBodySchema,
  updatePhoneBodySchema,
  updateUserBodySchema,
  userSchema,
} from './index.ts';
import { screenPopBodySchema, screenPopSettingsSchema } from './screen-pop.ts';
import {
  createWebhookBodySchema,
  updateWebhookBodySchema,
  webhookDeliveriesQuerySchema,
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookListSchema,
  webhookSchema,
  webhookWithSecretSchema,
} from './webhooks.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ApiOperation {
  method: HttpMethod;
  /** Express spelling (`/api/phones/:id`); the document writes `{id}`. */
  path: string;
  summary: string;
  /** Groups operations in the document and on the reference page. */
  tag: string;
  /**
   * Who may call it: `public` (no credential), `signed-in` (any session, token or display key), a role
   * (`admin`, `operator`: operators and admins) or the server's permission name (`phones:manage`,
   * `users:manage` = admins, ...; docs/security.md).
   */
  access: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success answer's JSON; absent with `status: 204` or a non-JSON `contentType`. */
  response?: z.ZodType;
  /** Success status; 200 by default. */
  status?: 200 | 201 | 204;
  /** A success answer that is not JSON (`text/csv`, `text/event-stream`). */
  contentType?: string;
}

const pageQuery = z.object({
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});
const auditQuery = z.object({
  phoneId: z.string().optional(),
  userId: z.string().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
const healthSchema = z.object({ ok: z.literal(true), version: z.string(), phones: z.number().int() });
const confirmBody = z.strictObject({ confirm: z.string() });
const phoneWithActionUrl = phoneSchema.required({ actionUrl: true });

type Shapes = Pick<ApiOperation, 'query' | 'body' | 'response' | 'status' | 'contentType'>;

/** One tag's rows: `row(method, path, access, summary, shapes)`. */
function group(tag: string) {
  return (
    method: HttpMethod,
    path: string,
    access: string,
    summary: string,
    shapes: Shapes = {},
  ): ApiOperation => ({
    method,
    path,
    summary,
    tag,
    access,
    ...shapes,
  });
}

const server = group('Server');
const session = group('Session');
const users = group('Users');
const contacts = group('Contacts');
const calls = group('Calls');
const phones = group('Phones');
const commands = group('Commands');
const flows = group('Transfer and conference');
const cti = group('CTI passthrough');
const account = group('My account');
const campaigns = group('Campaigns');
const webhooks = group('Webhooks');
const directory = group('Directory');

export const API_OPERATIONS: readonly ApiOperation[] = [
  server('get', '/api/health', 'public', 'Liveness and version', { response: healthSchema }),
  server('get', '/api/openapi.json', 'users:manage', 'This document (OpenAPI 3.1)'),
  server('get', '/api/settings/public', 'signed-in', 'Settings every page needs', {
    response: publicSettingsSchema,
  }),
  server('get', '/api/events', 'events:read', 'Server-sent events: phone state and calls', {
    contentType: 'text/event-stream',
  }),

  session('post', '/api/session', 'public', 'Sign in (sets the session cookie)', {
    body: signInBodySchema,
    response: z.union([sessionSchema, secondFactorChallengeSchema]),
  }),
  session('get', '/api/session', 'signed-in', 'Who is signed in', { response: sessionSchema }),
  session('delete', '/api/session', 'public', 'Sign out', { status: 204 }),
  session('post', '/api/session/password', 'signed-in', 'Change my password', {
    body: changePasswordBodySchema,
    response: sessionSchema,
  }),

  users('get', '/api/users', 'users:manage', 'List users', { response: z.array(userSchema) }),
  users('post', '/api/users', 'users:manage', 'Create a user', {
    body: createUserBodySchema,
    response: userSchema,
    status: 201,
  }),
  users('patch', '/api/users/:id', 'users:manage', 'Change a user', {
    body: updateUserBodySchema,
    response: userSchema,
  }),
  users('delete', '/api/users/:id', 'users:manage', 'Delete a user', { status: 204 }),
  users('get', '/api/tokens', 'users:manage', 'List API tokens', { response: z.array(apiTokenSchema) }),
  users('post', '/api/tokens', 'users:manage', 'Create an API token (secret shown once)', {
    body: createApiTokenBodySchema,
    response: createdSecretSchema,
    status: 201,
  }),
  users('delete', '/api/tokens/:id', 'users:manage', 'Revoke an API token', { status: 204 }),
  users('get', '/api/display-keys', 'users:manage', 'List display keys', {
    response: z.array(displayKeySchema),
  }),
  users('post', '/api/display-keys', 'users:manage', 'Create a display key (secret shown once)', {
    body: createDisplayKeyBodySchema,
    response: createdSecretSchema,
    status: 201,
  }),
  users('delete', '/api/display-keys/:id', 'users:manage', 'Revoke a display key', { status: 204 }),
  users('get', '/api/audit', 'audit:read', 'Audit log, newest first', {
    query: auditQuery,
    response: auditPageSchema,
  }),

  contacts('get', '/api/contacts', 'contacts:read', 'Search contacts (LineDeck and directory)', {
    query: pageQuery.extend({ source: contactSourceSchema.optional() }),
    response: contactPageSchema,
  }),
  contacts('post', '/api/contacts', 'contacts:manage', 'Add a contact', {
    body: createContactBodySchema,
    response: contactSchema,
    status: 201,
  }),
  contacts(
    'post',
    '/api/contacts/import',
    'contacts:manage',
    'Import CSV or mapped rows (dry run possible)',
    { body: importContactsBodySchema, response: importResultSchema },
  ),
  contacts('get', '/api/contacts/export.csv', 'contacts:read', 'All contacts as CSV', {
    contentType: 'text/csv',
  }),
  contacts('get', '/api/contacts/:id', 'contacts:read', 'One contact', { response: contactSchema }),
  contacts('patch', '/api/contacts/:id', 'contacts:manage', 'Change a contact', {
    body: updateContactBodySchema,
    response: contactSchema,
  }),
  contacts('delete', '/api/contacts/:id', 'contacts:manage', 'Delete a contact', { status: 204 }),

  calls('get', '/api/calls', 'calls:read', 'Call journal, newest first', {
    query: callsQuerySchema,
    response: callPageSchema,
  }),
  calls('get', '/api/calls/export.csv', 'calls:read', 'Filtered calls as CSV', {
    query: callsQuerySchema.omit({ limit: true, cursor: true }),
    contentType: 'text/csv',
  }),
  calls('get', '/api/calls/missed/count', 'calls:read', 'Missed calls I have not seen', {
    response: missedCountSchema,
  }),
  calls('post', '/api/calls/missed/seen', 'calls:read', 'Mark missed calls seen', {
    body: missedSeenBodySchema,
    status: 204,
  }),
  calls('get', '/api/calls/today', 'calls:read', "Today's counts (no names or numbers)", {
    response: callsTodaySchema,
  }),

  phones('get', '/api/phones', 'phones:read', 'List phones', { response: z.array(phoneSchema) }),
  phones('post', '/api/phones', 'phones:manage', 'Add a phone', {
    body: createPhoneBodySchema,
    response: phoneSchema,
    status: 201,
  }),
  phones('get', '/api/phones/:id', 'phones:read', 'One phone with its Action URL', {
    response: phoneWithActionUrl,
  }),
  phones('patch', '/api/phones/:id', 'phones:manage', 'Change a phone', {
    body: updatePhoneBodySchema,
    response: phoneSchema,
  }),
  phones('delete', '/api/phones/:id', 'phones:manage', 'Remove a phone', { status: 204 }),
  phones('post', '/api/phones/:id/test', 'phones:manage', 'Diagnose the connection', {
    response: diagnosisSchema,
  }),
  phones('post', '/api/phones/:id/hook-token', 'phones:manage', 'New Action URL token', {
    response: phoneWithActionUrl,
  }),
  phones('post', '/api/phones/:id/click-to-dial', 'phones:manage', 'Turn on Click-To-Dial on the phone', {
    body: confirmBody,
    response: commandResultSchema,
  }),
  phones('get', '/api/phones/:id/state', 'phones:read', "One phone's live state", {
    response: phoneStateSchema,
  }),
  phones('get', '/api/state', 'phones:read', 'Live state of every visible phone', {
    response: z.array(phoneStateSchema),
  }),

  commands('post', '/api/phones/:id/calls', 'calls:control', 'Dial a number', {
    body: makeCallBodySchema,
    response: commandResultSchema,
  }),
  commands('post', '/api/phones/:id/operations', 'calls:control', 'Answer, hang up, hold...', {
    body: operationBodySchema,
    response: commandResultSchema,
  }),
  commands('post', '/api/phones/:id/keys', 'keys:send', 'Press keys', {
    body: keysBodySchema,
    response: commandResultSchema,
  }),
  commands('put', '/api/phones/:id/dnd', 'calls:control', 'Do Not Disturb on or off', {
    body: dndBodySchema,
    response: commandResultSchema,
  }),
  commands('put', '/api/phones/:id/forward', 'calls:control', 'Call forward', {
    body: forwardBodySchema,
    response: commandResultSchema,
  }),
  commands('post', '/api/phones/:id/system', 'system:reboot', 'Reboot or reset (confirm with the name)', {
    body: systemBodySchema,
    response: commandResultSchema,
  }),

  flows('post', '/api/phones/:id/transfer', 'calls:control', 'Blind or attended transfer', {
    body: transferBodySchema,
    response: flowResultSchema,
  }),
  flows('post', '/api/phones/:id/transfer/complete', 'calls:control', 'Complete an attended transfer', {
    body: flowLineBodySchema,
    response: flowResultSchema,
  }),
  flows('post', '/api/phones/:id/transfer/cancel', 'calls:control', 'Cancel a transfer', {
    body: flowLineBodySchema,
    response: flowResultSchema,
  }),
  flows('post', '/api/phones/:id/conference', 'calls:control', 'Add a party to a conference', {
    body: conferenceBodySchema,
    response: flowResultSchema,
  }),
  flows('post', '/api/phones/:id/conference/end', 'calls:control', 'End a conference', {
    body: flowLineBodySchema,
    response: flowResultSchema,
  }),
  flows('post', '/api/phones/:id/conference/drop', 'calls:control', 'Drop one party', {
    body: flowLineBodySchema,
    response: flowResultSchema,
  }),

  session('post', '/api/session/second-factor', 'public', 'Sign in, second step: the TOTP or recovery code', {
    body: secondFactorBodySchema,
    response: sessionSchema,
  }),
  account('get', '/api/account', 'signed-in', 'My account: second factor state', { response: accountSchema }),
  account('get', '/api/account/sessions', 'signed-in', 'My sessions, newest first', {
    response: z.array(accountSessionSchema),
  }),
  account('delete', '/api/account/sessions', 'signed-in', 'End my other sessions', { status: 204 }),
  account(
    'get',
    '/api/account/screen-pop',
    'signed-in',
    'My screen pop: address template and when it opens',
    {
      response: screenPopSettingsSchema,
    },
  ),
  account('put', '/api/account/screen-pop', 'signed-in', 'Set or turn off my screen pop', {
    body: screenPopBodySchema,
    response: screenPopSettingsSchema,
  }),
  account('delete', '/api/account/sessions/:id', 'signed-in', 'End one of my sessions', { status: 204 }),
  account('post', '/api/account/totp', 'admin', 'Start a second factor (secret to scan)', {
    response: totpEnrolmentSchema,
  }),
  account('post', '/api/account/totp/confirm', 'admin', 'Turn the second factor on with a code', {
    body: totpCodeBodySchema,
    response: recoveryCodesSchema,
  }),
  account('post', '/api/account/totp/disable', 'admin', 'Turn my second factor off', {
    body: totpCodeBodySchema,
    status: 204,
  }),
  users('delete', '/api/users/:id/sessions', 'users:manage', "End a user's sessions", { status: 204 }),
  users('delete', '/api/users/:id/totp', 'users:manage', "Reset a user's second factor", { status: 204 }),

  campaigns('get', '/api/campaigns', 'calls:read', 'List campaigns', { response: campaignListSchema }),
  campaigns('post', '/api/campaigns', 'calls:read', 'Create a campaign with its list', {
    body: createCampaignBodySchema,
    response: createCampaignResultSchema,
    status: 201,
  }),
  campaigns('get', '/api/campaigns/:id', 'calls:read', 'One campaign with counts and phones', {
    response: campaignSchema,
  }),
  campaigns('patch', '/api/campaigns/:id', 'calls:read', 'Change a campaign', {
    body: updateCampaignBodySchema,
    response: campaignSchema,
  }),
  campaigns('delete', '/api/campaigns/:id', 'calls:read', 'Delete a campaign', { status: 204 }),
  campaigns('get', '/api/campaigns/:id/entries', 'calls:read', "A campaign's entries", {
    query: campaignEntriesQuerySchema,
    response: campaignEntryPageSchema,
  }),
  campaigns('post', '/api/campaigns/:id/entries', 'calls:read', 'Add entries (dry run possible)', {
    body: importCampaignEntriesBodySchema,
    response: campaignImportResultSchema,
  }),
  campaigns('post', '/api/campaigns/:id/start', 'calls:read', 'Start a draft', { response: campaignSchema }),
  campaigns('post', '/api/campaigns/:id/pause', 'calls:read', 'Pause', { response: campaignSchema }),
  campaigns('post', '/api/campaigns/:id/resume', 'calls:read', 'Resume', { response: campaignSchema }),
  campaigns('post', '/api/campaigns/:id/stop', 'calls:read', 'Stop (finished)', { response: campaignSchema }),
  campaigns('post', '/api/campaigns/:id/next', 'calls:control', 'Preview: dial or skip the next entry', {
    body: campaignNextBodySchema,
    response: campaignNextResultSchema,
  }),
  campaigns(
    'post',
    '/api/campaigns/:id/entries/:entryId/outcome',
    'calls:control',
    "An entry's outcome by the agent",
    { body: campaignOutcomeBodySchema, response: campaignEntrySchema },
  ),
  campaigns('get', '/api/campaigns/:id/results.csv', 'calls:read', 'Results as CSV', {
    contentType: 'text/csv',
  }),
  campaigns('get', '/api/do-not-call', 'operator', 'The do-not-call list', { response: doNotCallListSchema }),
  campaigns('post', '/api/do-not-call', 'operator', 'Add numbers to the do-not-call list', {
    body: addDoNotCallBodySchema,
    response: addDoNotCallResultSchema,
    status: 201,
  }),
  campaigns('delete', '/api/do-not-call/:id', 'admin', 'Remove one entry', { status: 204 }),
  campaigns('delete', '/api/do-not-call', 'admin', 'Remove a number', {
    query: removeDoNotCallBodySchema,
    response: z.object({ removed: z.number().int() }),
  }),

  webhooks('get', '/api/webhooks', 'admin', 'List webhooks', { response: webhookListSchema }),
  webhooks('post', '/api/webhooks', 'admin', 'Create a webhook (answers its signing secret, once)', {
    body: createWebhookBodySchema,
    response: webhookWithSecretSchema,
    status: 201,
  }),
  webhooks('get', '/api/webhooks/:id', 'admin', 'One webhook', { response: webhookSchema }),
  webhooks('patch', '/api/webhooks/:id', 'admin', 'Change a webhook (url, events, enabled)', {
    body: updateWebhookBodySchema,
    response: webhookSchema,
  }),
  webhooks('delete', '/api/webhooks/:id', 'admin', 'Delete a webhook and its deliveries', { status: 204 }),
  webhooks('post', '/api/webhooks/:id/rotate-secret', 'admin', 'A new signing secret (answered once)', {
    response: webhookWithSecretSchema,
  }),
  webhooks('get', '/api/webhooks/:id/deliveries', 'admin', "A webhook's delivery log, newest first", {
    query: webhookDeliveriesQuerySchema,
    response: webhookDeliveryListSchema,
  }),
  webhooks('post', '/api/webhooks/:id/test', 'admin', 'Send a test event', {
    response: webhookDeliverySchema,
    status: 201,
  }),
  webhooks(
    'post',
    '/api/webhooks/:id/deliveries/:deliveryId/redeliver',
    'admin',
    'Send a delivery again (a new delivery, same body)',
    { response: webhookDeliverySchema, status: 201 },
  ),

  directory('get', '/api/directory', 'admin', 'Directory (LDAP) settings, without the password, and status', {
    response: directoryViewSchema,
  }),
  directory('put', '/api/directory', 'admin', 'Change the directory settings (password: absent keeps it)', {
    body: directorySettingsBodySchema,
    response: directoryViewSchema,
  }),
  directory('post', '/api/directory/test', 'admin', 'Bind and count (the body, or the stored settings)', {
    body: directorySettingsBodySchema.optional(),
    response: directoryTestResultSchema,
  }),
  directory('post', '/api/directory/refresh', 'admin', 'Read the directory now', {
    response: directoryViewSchema,
  }),

  cti('get', '/cti/:id/cgi-bin/:fn', 'cti:read', "Raw CTI passthrough (the phone's own answer)"),
];
