/**
 * `POST /api/phones/:id/test`: checks a phone now and says, for each thing
 * that can be wrong, what to change on the phone, quoting the vendor's menu
 * paths (grp26xx-cti-guide.md, "Enabling CTI feature"). It reads only: it
 * never places a call to check Click-To-Dial.
 */
import type { Diagnosis } from '@linedeck/contract';
import { checkFirmware, findModel } from '@linedeck/cti';
import { isCtiError } from '../errors.ts';
import type { Registry } from './registry.ts';
import type { StateCache } from './state-cache.ts';

type Check = Diagnosis['checks'][number];

const REMOTE_CONTROL =
  'Network → Remote Control (Network Settings → Advanced Settings → Remote Control on GRP260x)';

export const ADVICE = {
  unreachable:
    "The server cannot reach the phone: check the address and port, that the phone is powered and on the network, and that no firewall blocks the server's requests.",
  timeout: `The phone did not answer in time: check the network; if ${REMOTE_CONTROL} → Remote Control Pop up Window Support is enabled, disable it, or every command waits for a confirmation on the handset.`,
  passcode:
    "The phone refused the passcode: enter the phone's admin (or user) web password. Newer firmware locks the account after 5 wrong tries, so LineDeck stops polling until you change it or test again.",
  ctiDisabled: `The phone refuses CTI requests: in ${REMOTE_CONTROL}, enable Action URI Support and put this server's IP address (or "any") in Action URI Allowed IP List, then Save and Apply.`,
  locked:
    'The phone has locked its web account after too many wrong passcodes: wait for the lockout to end (or reboot the phone), then enter the right admin (or user) password here.',
  notCti:
    'The address answers, but not like a GRP26xx CTI API: check that the address points to the phone itself and that its firmware supports CTI.',
  clickToDial:
    'Not checked (it would place a call): make sure Phone Settings → Call Settings → Click-To-Dial Feature is enabled, or calls from LineDeck fail with "Invalid Request".',
  modelUnknown: 'Set the phone model in LineDeck to check it against the supported models.',
} as const;

export interface DiagnosisDeps {
  registry: Registry;
  cache: StateCache;
}

export async function runDiagnosis(deps: DiagnosisDeps, phoneId: string): Promise<Diagnosis> {
  const record = deps.registry.get(phoneId);
  const entry = deps.registry.entry(phoneId);
  const checks: Check[] = [];
  let reachable: boolean | null = null;
  let passcode: boolean | null = null;
  let ctiEnabled: boolean | null = null;
  let failureAdvice: Partial<Record<Check['id'], string>> = {};

  try {
    // A command-priority read: the test answers now, not after the queued polls.
    const phone = await entry.queue.command(() => entry.client.getPhoneStatus());
    reachable = true;
    passcode = true;
    ctiEnabled = true;
    deps.cache.applyPoll(phoneId, { phoneStatus: phone.rawStatus ?? phone.status });
  } catch (err) {
    const code = isCtiError(err) ? err.code : 'unreachable';
    const status = isCtiError(err) ? err.status : undefined;
    if (code === 'unreachable') {
      reachable = false;
      failureAdvice = { reachable: ADVICE.unreachable };
    } else if (code === 'timeout') {
      reachable = false;
      failureAdvice = { reachable: ADVICE.timeout };
    } else if (code === 'auth_failed' && status === 403) {
      // 403: Action URI Support off, or this server's IP not in the Allowed IP List (a wrong passcode is 401).
      reachable = true;
      ctiEnabled = false;
      failureAdvice = { cti_enabled: ADVICE.ctiDisabled };
    } else if (code === 'auth_failed') {
      reachable = true;
      passcode = false;
      const locked = isCtiError(err) && typeof err.body === 'string' && /locked/i.test(err.body);
      failureAdvice = { passcode: locked ? ADVICE.locked : ADVICE.passcode };
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

  checks.push(check('reachable', 'Phone reachable', reachable, failureAdvice.reachable));
  checks.push(check('passcode', 'Passcode accepted', passcode, failureAdvice.passcode));
  checks.push(
    check('cti_enabled', 'CTI enabled (Action URI Support)', ctiEnabled, failureAdvice.cti_enabled),
  );
  checks.push(modelCheck(record.model, record.firmware));
  checks.push(check('click_to_dial', 'Click-To-Dial enabled', null, ADVICE.clickToDial));

  // The passcode works now: an auth stop is over (a wrong one keeps it stopped, we never loop on it).
  if (passcode === true) entry.poller.resume();
  else if (passcode === false) entry.poller.authFailed(ADVICE.passcode);

  return {
    ok: checks.every((c) => c.ok !== false),
    checks,
    model: record.model,
    firmware: record.firmware,
  };
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
