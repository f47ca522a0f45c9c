/**
 * DND and call forward as pure steps over PhoneState, whoever changes them: the DND key, the person at
 * the desk (control API) or the config API. A change announces itself as the Action URL does
 * (`dnd_on`/`dnd_off`, `forward_on`/`forward_off`); setting what is already set announces nothing.
 */
import type { ForwardMode, ForwardSetting } from '../../cti/src/protocol.ts';
import { FORWARD_MODES, isValidPhoneNumber } from '../../cti/src/protocol.ts';
import type { ForwardState, PhoneState, PhoneStep } from './phone-state.ts';

export type ForwardPatch = Partial<ForwardState>;

export function setDnd(state: PhoneState, on: boolean): PhoneStep {
  if (state.dnd === on) return { state, ok: true, events: [] };
  return {
    state: { ...state, dnd: on },
    ok: true,
    events: [{ kind: on ? 'dnd_on' : 'dnd_off', duration: 0 }],
  };
}

export function isForwardMode(value: unknown): value is ForwardMode {
  return typeof value === 'string' && (FORWARD_MODES as readonly string[]).includes(value);
}

/** A forward target: a dialable number, or empty (no target for that condition). */
export function isForwardTarget(value: string): boolean {
  return value === '' || isValidPhoneNumber(value);
}

/** The setting LineDeck models: the active condition and its target. */
export function forwardSetting(forward: ForwardState): ForwardSetting {
  return { mode: forward.mode, number: forward.mode === 'off' ? '' : forward[forward.mode] };
}

/**
 * Changes mode and/or targets in one step. Refused (state unchanged) when a target is not a number or
 * the resulting active condition has no target: a phone cannot forward to nowhere.
 */
export function setForward(state: PhoneState, patch: ForwardPatch): PhoneStep {
  const next: ForwardState = { ...state.forward, ...patch };
  const targets = [next.always, next.busy, next.noanswer];
  if (!isForwardMode(next.mode) || !targets.every(isForwardTarget)) {
    return { state, ok: false, events: [], reason: 'invalid forward' };
  }
  if (next.mode !== 'off' && next[next.mode] === '') {
    return { state, ok: false, events: [], reason: 'forward needs a number' };
  }
  // A new target while forward stays on is announced as forward_on again: what the phone does now changed.
  const before = forwardSetting(state.forward);
  const after = forwardSetting(next);
  const same = before.mode === after.mode && before.number === after.number;
  const events: PhoneStep['events'] = same
    ? []
    : [{ kind: after.mode === 'off' ? 'forward_off' : 'forward_on', duration: 0 }];
  return { state: { ...state, forward: next }, ok: true, events };
}

/** The person at the desk sets forward as LineDeck models it: `off`, or a condition and its number. */
export function setForwardSetting(state: PhoneState, setting: ForwardSetting): PhoneStep {
  if (setting.mode === 'off') return setForward(state, { mode: 'off' });
  return setForward(state, { mode: setting.mode, [setting.mode]: setting.number });
}
