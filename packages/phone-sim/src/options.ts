/** startPhone options, their defaults, and the settings a running phone accepts (PATCH /sim/settings). */
import type { ModelInfo } from '../../cti/src/models.ts';
import { findModel, MODEL_NAMES } from '../../cti/src/models.ts';
import type { ActionUrls } from './action-url.ts';
import type { FirmwareProfile } from './firmware-profile.ts';
import { DEFAULT_FIRMWARE_PROFILE, isFirmwareProfile } from './firmware-profile.ts';
import type { Account, ConsultHangup, FlowBehaviour, FlowStyle } from './phone-state.ts';
import { DEFAULT_BEHAVIOUR } from './phone-state.ts';
import type { Quirks } from './quirks.ts';
import { DEFAULT_QUIRKS } from './quirks.ts';
import type { Settings } from './settings.ts';
import { DEFAULT_SETTINGS, normalizeIpList } from './settings.ts';

export interface AccountOptions {
  sipServer?: string;
  sipId?: string;
  name?: string;
  registered?: boolean;
}

export type SettingsInput = Partial<Omit<Settings, 'allowedIps'>> & {
  allowedIps?: readonly string[] | string;
};

export interface PhoneOptions {
  /** 0 or omitted: an ephemeral port. */
  port?: number;
  /** Listening address, default 127.0.0.1. */
  host?: string;
  /** A model of the guide's supported list (or a variant); decides the line and account count. */
  model?: string;
  firmware?: string;
  /** The firmware's dialect: how it authenticates and answers wrong credentials (firmware-profile.ts). */
  firmwareProfile?: FirmwareProfile;
  /** Session firmware: a sid expires this long after the last request that carried it. */
  sessionTtlMs?: number;
  adminPasscode?: string;
  userPasscode?: string;
  /** Default: one registered account. */
  accounts?: readonly AccountOptions[];
  settings?: SettingsInput;
  quirks?: Partial<Quirks>;
  /** How long REBOOT (and RESET) keep the phone down. */
  rebootMs?: number;
  /** How long 5 wrong passcodes lock CTI. */
  lockoutMs?: number;
  /** How long a command waits for the pop-up confirmation. */
  confirmTimeoutMs?: number;
  /** The far end answers outgoing calls after this many ms; omitted: never by itself. */
  autoAnswerMs?: number;
  actionUrls?: ActionUrls;
  /** false: no /sim/ routes (the methods of SimPhone still work). */
  controlApi?: boolean;
  /** Display name, also the default account name. */
  name?: string;
  /** 12 hex digits, lower case, as `$mac` sends it. */
  mac?: string;
  /** Request log size (entries kept). */
  logSize?: number;
  /** What XFER does (phone-state.ts FlowStyle); default `instant`. */
  flowStyle?: FlowStyle;
  /** What hanging up a consultation call does; default `cancel` (the held caller is back). */
  consultHangup?: ConsultHangup;
}

/** What PATCH /sim/settings and SimPhone.updateSettings take. */
export interface SettingsUpdate extends SettingsInput {
  quirks?: Partial<Quirks>;
  /** Per account index; `registered` changes announce registered/unregistered. */
  accounts?: readonly (AccountOptions | null)[];
  actionUrls?: ActionUrls;
  /** null switches auto-answer off. */
  autoAnswerMs?: number | null;
  /** A change ends every web session (as a firmware update would). */
  firmwareProfile?: FirmwareProfile;
  sessionTtlMs?: number;
  flowStyle?: FlowStyle;
  consultHangup?: ConsultHangup;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  model: ModelInfo;
  firmware: string;
  firmwareProfile: FirmwareProfile;
  sessionTtlMs: number;
  adminPasscode: string;
  userPasscode: string;
  accounts: Account[];
  settings: Settings;
  quirks: Quirks;
  rebootMs: number;
  lockoutMs: number;
  confirmTimeoutMs: number;
  autoAnswerMs: number | undefined;
  actionUrls: ActionUrls;
  controlApi: boolean;
  name: string;
  mac: string;
  logSize: number;
  behaviour: FlowBehaviour;
}

export const DEFAULT_MODEL = 'GRP2614';
/** Field notes: without traffic the phone drops the session after about 60 s. */
export const DEFAULT_SESSION_TTL_MS = 60_000;

function randomMac(): string {
  // Grandstream's OUI, then three random bytes.
  const tail = Array.from({ length: 3 }, () =>
    Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0'),
  );
  return `c074ad${tail.join('')}`;
}

export function resolveSettings(base: Settings, input: SettingsInput | undefined): Settings {
  if (!input) return base;
  return {
    ctiEnabled: input.ctiEnabled ?? base.ctiEnabled,
    allowedIps: input.allowedIps === undefined ? base.allowedIps : normalizeIpList(input.allowedIps),
    popupConfirmation: input.popupConfirmation ?? base.popupConfirmation,
    clickToDial: input.clickToDial ?? base.clickToDial,
  };
}

export function resolveAccount(input: AccountOptions, index: number, name: string): Account {
  return {
    sipServer: input.sipServer ?? 'pbx.linedeck.test',
    sipId: input.sipId ?? String(1001 + index),
    name: input.name ?? (index === 0 ? name : `${name} ${index + 1}`),
    registered: input.registered ?? true,
  };
}

export function resolveOptions(options: PhoneOptions): ResolvedOptions {
  const model = findModel(options.model ?? DEFAULT_MODEL);
  if (!model) throw new Error(`Unknown model ${options.model}; one of ${MODEL_NAMES.join(', ')}`);
  if (options.firmwareProfile !== undefined && !isFirmwareProfile(options.firmwareProfile)) {
    throw new Error(`Unknown firmware profile ${options.firmwareProfile}`);
  }
  const name = options.name ?? 'Front Desk';
  const accounts = (options.accounts ?? [{}])
    .slice(0, model.accounts)
    .map((a, i) => resolveAccount(a, i, name));
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    model,
    firmware: options.firmware ?? model.minFirmware,
    firmwareProfile: options.firmwareProfile ?? DEFAULT_FIRMWARE_PROFILE,
    sessionTtlMs: options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
    adminPasscode: options.adminPasscode ?? 'admin',
    userPasscode: options.userPasscode ?? '123',
    accounts,
    settings: resolveSettings(DEFAULT_SETTINGS, options.settings),
    quirks: { ...DEFAULT_QUIRKS, ...options.quirks },
    rebootMs: options.rebootMs ?? 3000,
    lockoutMs: options.lockoutMs ?? 60_000,
    confirmTimeoutMs: options.confirmTimeoutMs ?? 10_000,
    autoAnswerMs: options.autoAnswerMs,
    actionUrls: { ...options.actionUrls },
    controlApi: options.controlApi ?? true,
    name,
    mac: (options.mac ?? randomMac()).toLowerCase().replace(/[^0-9a-f]/g, ''),
    logSize: options.logSize ?? 500,
    behaviour: {
      flowStyle: options.flowStyle ?? DEFAULT_BEHAVIOUR.flowStyle,
      consultHangup: options.consultHangup ?? DEFAULT_BEHAVIOUR.consultHangup,
    },
  };
}
