/** @linedeck/phone-sim: a simulated Grandstream GRP26xx phone speaking CTI over HTTP. */
export type { ActionContext, ActionEvent, ActionUrlStats, ActionUrls } from './action-url.ts';
export { ACTION_EVENTS, fillTemplate } from './action-url.ts';
export type { FleetBench } from './bench.ts';
export { fleetBench, lineStatusRate } from './bench.ts';
export type { ConfigEntry } from './config-api.ts';
export type { DemoOptions } from './demo.ts';
export { DEMO_CALLERS, startDemo } from './demo.ts';
export type { FaultKind, FaultSpec } from './faults.ts';
export { FAULT_KINDS } from './faults.ts';
export type { FirmwareProfile } from './firmware-profile.ts';
export { DEFAULT_FIRMWARE_PROFILE, FIRMWARE_PROFILES } from './firmware-profile.ts';
export type { Fleet, FleetOptions } from './fleet.ts';
export { FLEET_MODELS, startFleet } from './fleet.ts';
export type { CallDirection, CallInfo, Line, LineEvent, LineState, LineStep } from './line-machine.ts';
export type { AccountOptions, PhoneOptions, SettingsInput, SettingsUpdate } from './options.ts';
export { DEFAULT_SESSION_TTL_MS } from './options.ts';
export type { PhoneSnapshot, SimPhone, StepResult } from './phone.ts';
export { startPhone } from './phone.ts';
export type {
  Account,
  ForwardState,
  PhoneEvent,
  PhoneEventKind,
  PhoneState,
  Transfer,
} from './phone-state.ts';
export type { Quirks } from './quirks.ts';
export { DEFAULT_QUIRKS } from './quirks.ts';
export type { LogEntry } from './request-log.ts';
export type { Settings } from './settings.ts';
export { DEFAULT_SETTINGS } from './settings.ts';
