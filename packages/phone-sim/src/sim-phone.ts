/** What a simulated phone offers its callers (tests, the demo, the control API, the server's fleet). */
import type { ForwardSetting, PhoneOperation } from '../../cti/src/protocol.ts';
import type { ActionUrlStats, ActionUrls } from './action-url.ts';
import type { FaultList, FaultSpec } from './faults.ts';
import type { FirmwareProfile } from './firmware-profile.ts';
import type { Line } from './line-machine.ts';
import type { SettingsUpdate } from './options.ts';
import type {
  Account,
  Consultation,
  ConsultHangup,
  FlowStyle,
  ForwardState,
  PhoneEvent,
  Transfer,
} from './phone-state.ts';
import type { Quirks } from './quirks.ts';
import type { LogEntry } from './request-log.ts';
import type { Settings } from './settings.ts';

export interface StepResult {
  ok: boolean;
  /** 1-based line acted on. */
  line?: number;
  reason?: string;
  /** A refused ring: what the caller hears (busy under DND or with every line in use, or forwarded). */
  farEnd?: 'busy' | 'forwarded';
  /** A forwarded ring: where the call went. */
  forwardedTo?: string;
}

export interface PhoneSnapshot {
  name: string;
  model: string;
  firmware: string;
  firmwareProfile: FirmwareProfile;
  sessionTtlMs: number;
  mac: string;
  url: string;
  down: boolean;
  status: string;
  lines: Line[];
  selected: number;
  dnd: boolean;
  forward: ForwardState;
  locked: boolean;
  muted: boolean;
  speaker: boolean;
  headset: boolean;
  volume: number;
  dialBuffer: string;
  xfer: { line: number; digits: string } | null;
  transfers: Transfer[];
  conference: boolean;
  /** A call held while the phone calls a transfer target or a party to add; null when none. */
  consult: Consultation | null;
  flowStyle: FlowStyle;
  consultHangup: ConsultHangup;
  accounts: Account[];
  settings: Settings;
  quirks: Quirks;
  faults: ReturnType<FaultList['list']>;
  passcode: { failures: number; lockedUntil: number };
  /** Session firmware: dologin successes and refusals since start, and sessions alive now. */
  session: { logins: number; failedLogins: number; active: number };
  pendingConfirmations: number;
  autoAnswerMs: number | null;
  actionUrls: ActionUrls;
  actionUrlStats: ActionUrlStats;
}

export interface SimPhone {
  readonly port: number;
  /** `127.0.0.1:PORT`, as LineDeck stores a phone's address. */
  readonly host: string;
  readonly url: string;
  readonly model: string;
  readonly name: string;
  readonly lineCount: number;
  readonly firmwareProfile: FirmwareProfile;
  /** A caller rings the first idle line; refused as busy under DND or with every line in use. */
  ring(number: string, name?: string, account?: number): StepResult;
  /** The far end answers an outgoing call. */
  farEndAnswer(line?: number): StepResult;
  /** The far end hangs up, or a ringing caller gives up; `busy` makes a calling line fail as busy. */
  farEndHangup(line?: number, options?: { busy?: boolean }): StepResult;
  /** The person at the desk does what api-phone_operation does, without CTI. */
  operate(cmd: PhoneOperation, line?: number): StepResult;
  /** Confirms (or declines) the oldest command waiting for the pop-up; false when none waits. */
  confirm(accept?: boolean): boolean;
  /** The person at the desk switches DND (announces dnd_on/dnd_off when it changes). */
  setDnd(on: boolean): StepResult;
  /** The person at the desk sets call forward (announces forward_on/forward_off when it changes). */
  setForward(setting: ForwardSetting): StepResult;
  snapshot(): PhoneSnapshot;
  requestLog(): LogEntry[];
  clearLog(): void;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  updateSettings(update: SettingsUpdate): void;
  /** Called with every phone event (the Action URL events), e.g. for tests and the demo. */
  onEvent(listener: (event: PhoneEvent) => void): () => void;
  close(): Promise<void>;
}
