/**
 * `POST /api/phones/:id/test`: checks a phone now and says, for each thing
 * that can be wrong, what to change on the phone, quoting the vendor's menu
 * paths (grp26xx-cti-guide.md, "Enabling CTI feature"), and what the phone
 * said when it refused the credential. It reads only: it never places a call
 * to check Click-To-Dial; with a session login it reads P1561 instead and
 * offers the one-click fix (`fixes`), which the admin confirms separately.
 */
import type { Diagnosis } from '@linedeck/contract';
import { type AuthFailure, checkFirmware, describeAuthFailure, findModel } from '@linedeck/cti';
import { authFailureOf, isCtiError } from '../errors.ts';
import type { Registry } from './registry.ts';
import type { StateCache } from './state-cache.ts';

type Check = Diagnosis['checks'][number];

const REMOTE_CONTROL =
  'Network → Remote Control (Network Settings → Advanced Settings → Remote Control on GRP260x)';
const CLICK_TO_DIAL_MENU = 'Phone Settings → Call Settings → Click-To-Dial Feature';

export const ADVICE = {
  unreachable:
    "The server cannot reach the phone: check the address and port, that the phone is powered and on the network, and that no firewall blocks the server's requests.",
  refused:
    "The address refused the connection: a device answers there, but nothing listens on that port. Check the port (80 for http, 443 for https, or the phone's Web Access port), that the address is the phone's and that its web server is enabled.",
  noRoute:
    'No route to the address: the server cannot get a packet to it. Check the IP address, that the phone is powered and cabled, and that the server and the phone are on connected networks (VLAN, VPN, routing).',
  notFound:
    "The host name does not resolve: check the spelling, or use the phone's IP address (Status → Network Status on the phone).",
  dropped:
    'The phone accepted the connection, then dropped it: it may be restarting, or the address uses http where the phone wants https (or the other way round).',
  timeout: `The phone did not answer in time: check the network; if ${REMOTE_CONTROL} → Remote Control Pop up Window Support is enabled, disable it, or every command waits for a confirmation on the handset.`,
  passcode:
    "The phone refused the passcode: enter the phone's admin (or user) web password. Newer firmware locks the account after 5 wrong tries, so LineDeck stops polling until you change it or test again.",
  ctiDisabled: `The phone refuses CTI requests: in ${REMOTE_CONTROL}, enable Action URI Support and put this server's IP address (or "any") in Action URI Allowed IP List, then Save and Apply.`,
  locked:
    'The phone has locked its web account after too many wrong passcodes: wait for the lockout to end (or reboot the phone), then enter the right admin (or user) password here.',
  notAllowed:
    "The phone does not let this account use its web API: use the admin account (username admin) with the phone's admin password.",
  sessionEnded:
    "The phone keeps ending LineDeck's web session right after each login: someone else is logged in to this account (the phone's web page?). Log out there, then test again.",
  notCti:
    'The address answers, but not like a GRP26xx CTI API: check that the address points to the phone itself and that its firmware supports CTI.',
  clickToDial: `Not checked (it would place a call): make sure ${CLICK_TO_DIAL_MENU} is enabled, or calls from LineDeck fail with "Invalid Request".`,
  clickToDialOff: `Click-To-Dial is off, so calls from LineDeck fail with "Invalid Request": switch it on here (one click), or in the phone's ${CLICK_TO_DIAL_MENU}.`,
  modelUnknown: 'Set the phone model in LineDeck to check it against the supported models.',
} as const;

export interface DiagnosisDeps {
  registry: Registry;
  cache: StateCache;
}

/** Node's network error codes, grouped by what a person should check for each. */
const NETWORK_ADVICE: Record<string, string> = {
  ECONNREFUSED: ADVICE.refused,
  EHOSTUNREACH: ADVICE.noRoute,
  ENETUNREACH: ADVICE.noRoute,
  EHOSTDOWN: ADVICE.noRoute,
  EADDRNOTAVAIL: ADVICE.noRoute,
  ENOTFOUND: ADVICE.notFound,
  EAI_AGAIN: ADVICE.notFound,
  EAI_NONAME: ADVICE.notFound,
  ECONNRESET: ADVICE.dropped,
  EPIPE: ADVICE.dropped,
  UND_ERR_SOCKET: ADVICE.dropped,
};

/**
 * Advice for an `unreachable` error from the system error code behind it (the CtiError's cause):
 * a closed port and a phone that does not answer need different fixes.
 */
export function unreachableAdvice(causeCode: string | undefined): string {
  return (causeCode && NETWORK_ADVICE[causeCode]) || ADVICE.unreachable;
}

function causeCode(err: unknown): string | undefined {
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/** What to do about a refusal, starting with what the phone said ("wrong password, 4 attempts left"). */
export function authAdvice(auth: AuthFailure): string {
  const said = `The phone says: ${describeAuthFailure(auth)}.`;
  switch (auth.reason) {
    case 'locked':
      return `${said} ${ADVICE.locked}`;
    case 'not_allowed':
      return `${said} ${ADVICE.notAllowed}`;
    case 'session_expired':
      return `${said} ${ADVICE.sessionEnded}`;
    default:
      return `${said} ${ADVICE.passcode}`;
  }
}

/**
 * Runs the test. An auth stop is lifted for exactly one attempt (PhoneClient.test): the phone's answer
 * either resumes polling or stops it again with what the phone said.
 */
export async function runDiagnosis(deps: DiagnosisDeps, phoneId: string): Promise<Diagnosis> {
  deps.registry.get(phoneId);
  const entry = deps.registry.entry(phoneId);
  const checks: Check[] = [];
  let reachable: boolean | null = null;
  let passcode: boolean | null = null;
  let ctiEnabled: boolean | null = null;
  let failureAdvice: Partial<Record<Check['id'], string>> = {};

  try {
    // A command-priority read: the test answers now, not after the queued polls.
    const phone = await entry.queue.command(() => entry.client.test());
    reachable = true;
    passcode = true;
    ctiEnabled = true;
    deps.cache.applyPoll(phoneId, { phoneStatus: phone.rawStatus ?? phone.status });
  } catch (err) {
    const code = isCtiError(err) ? err.code : 'unreachable';
    const status = isCtiError(err) ? err.status : undefined;
    if (code === 'unreachable') {
      reachable = false;
      failureAdvice = { reachable: unreachableAdvice(causeCode(err)) };
    } else if (code === 'timeout') {
      reachable = false;
      failureAdvice = { reachable: ADVICE.timeout };
    } else if (code === 'auth_failed' && isCtiError(err)) {
      reachable = true;
      const auth = authFailureOf(err);
      if (status === 403 && auth.reason === 'refused') {
        // 403: Action URI Support off, or this server's IP not in the Allowed IP List (a wrong passcode is 401).
        ctiEnabled = false;
        failureAdvice = { cti_enabled: ADVICE.ctiDisabled };
      } else {
        passcode = false;
        failureAdvice = { passcode: authAdvice(auth) };
      }
    } else if (code === 'http_status' && status === 404) {
      // No /cgi-bin/api-* here: not a GRP26xx, or firmware without CTI.
      reachable = true;
      ctiEnabled = false;
      failureAdvice = { cti_enabled: `${ADVICE.notCti} ${ADVICE.ctiDisabled}` };
    } else {
      reachable = true;
      ctiEnabled = false;
      failureAdvice = { cti_enabled: ADVICE.notCti };
    }
  }

  const session = passcode === true && entry.client.scheme === 'session';
  // Read after the test: a login (or a detection) may just have written the firmware and the scheme.
  const record = deps.registry.get(phoneId);
  const firmware = entry.client.info().firmware ?? record.firmware;
  checks.push(check('reachable', 'Phone reachable', reachable, failureAdvice.reachable));
  checks.push(
    check(
      'passcode',
      session ? 'Password accepted (web session login)' : 'Passcode accepted',
      passcode,
      failureAdvice.passcode,
    ),
  );
  checks.push(
    check('cti_enabled', 'CTI enabled (Action URI Support)', ctiEnabled, failureAdvice.cti_enabled),
  );
  checks.push(modelCheck(record.model, firmware));
  const clickToDial = session ? await readClickToDial(deps, phoneId) : null;
  checks.push(
    check(
      'click_to_dial',
      'Click-To-Dial enabled',
      clickToDial,
      clickToDial === false ? ADVICE.clickToDialOff : ADVICE.clickToDial,
    ),
  );

  // The credential works now: an auth stop is over (a refusal stopped it again, we never loop on it).
  if (passcode === true) entry.poller.resume();

  return {
    ok: checks.every((c) => c.ok !== false),
    checks,
    model: record.model,
    firmware,
    ...(passcode === true ? { auth: entry.client.scheme } : {}),
    ...(clickToDial === false ? { fixes: ['enable_click_to_dial' as const] } : {}),
  };
}

/** P1561 through the config API (session phones); null when the phone cannot tell. Reads only. */
async function readClickToDial(deps: DiagnosisDeps, phoneId: string): Promise<boolean | null> {
  const entry = deps.registry.entry(phoneId);
  try {
    return await entry.queue.command(() => entry.client.getClickToDial());
  } catch {
    // The check stays "not checked": the connection itself was fine a moment ago.
    return null;
  }
}

function check(id: Check['id'], label: string, ok: boolean | null, advice?: string): Check {
  return { id, label, ok, ...(ok !== true && advice ? { advice } : {}) };
}

/** Model from the phone record; firmware when known. Unknown firmware is "not checked", not a failure. */
export function modelCheck(model: string | null, firmware: string | null): Check {
  const label = 'Model and firmware support CTI';
  if (!model) return check('model', label, null, ADVICE.modelUnknown);
  const info = findModel(model);
  if (!info || firmware) {
    const result = checkFirmware(model, firmware ?? '0');
    return result.supported ? check('model', label, true) : check('model', label, false, result.message);
  }
  return check(
    'model',
    label,
    null,
    `Firmware version unknown: ${info.model} needs ${info.minFirmware} or newer (see Status → System Info on the phone).`,
  );
}
