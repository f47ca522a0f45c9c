/**
 * linedeck-phone-sim: start simulated phones from a shell.
 *   linedeck-phone-sim --phones 4 --base-port 9101 [--demo] [--model GRP2614] [--passcode admin]
 *     [--firmware-profile session | --profiles passcode,session,passcode-wrongn]
 * Prints one line per phone and closes cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { findModel, MODEL_NAMES } from '../../cti/src/models.ts';
import type { FirmwareProfile } from './firmware-profile.ts';
import { FIRMWARE_PROFILES, parseFirmwareProfile } from './firmware-profile.ts';
import type { FleetOptions } from './fleet.ts';
import { startFleet } from './fleet.ts';
import { CONSULT_HANGUPS, FLOW_STYLES } from './phone-state.ts';

const USAGE = `Usage: linedeck-phone-sim [options]
  --phones N           number of phones (default 1)
  --base-port P        phone i listens on P+i (default 9101; 0 = ephemeral ports)
  --host H             listening address (default 127.0.0.1)
  --model M            one model for all phones (default: a varied mix); one of ${MODEL_NAMES.join(', ')}
  --passcode X         admin passcode (default admin)
  --user-passcode X    user passcode (default 123)
  --firmware-profile F one firmware dialect for all phones (default passcode); one of
                       ${FIRMWARE_PROFILES.join(', ')}
  --profiles F,G,...   firmware dialects cycled over the phones (a mixed fleet)
  --session-ttl MS     session firmware: a sid expires MS after its last request (default 60000)
  --demo               callers ring now and then, calls are answered and end
  --auto-answer MS     the far end answers outgoing calls after MS (default: 3000 in demo mode)
  --flow-style S       what XFER and CONF do: instant (default: XFER, digits, SEND transfers at once)
                       or consult (they hold the call and open a line; XFER/CONF again completes)
  --consult-hangup H   hanging up a consultation line: cancel (default) or transfer
  --help`;

export interface CliArgs {
  options: FleetOptions;
  help: boolean;
}

function integer(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${value}`);
  return n;
}

function oneOf<T extends string>(
  value: string | undefined,
  name: string,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`--${name} must be one of ${allowed.join(', ')}, got ${value}`);
  }
  return value as T;
}

export function parseCli(argv: string[]): CliArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      phones: { type: 'string' },
      'base-port': { type: 'string' },
      host: { type: 'string' },
      model: { type: 'string' },
      passcode: { type: 'string' },
      'user-passcode': { type: 'string' },
      'firmware-profile': { type: 'string' },
      profiles: { type: 'string' },
      'session-ttl': { type: 'string' },
      demo: { type: 'boolean', default: false },
      'auto-answer': { type: 'string' },
      'flow-style': { type: 'string' },
      'consult-hangup': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const model = values.model === undefined ? undefined : findModel(values.model)?.model;
  if (values.model !== undefined && !model) throw new Error(`Unknown model ${values.model}`);
  const count = integer(values.phones, 'phones', 1);
  if (count < 1) throw new Error('--phones must be at least 1');
  const autoAnswer = values['auto-answer'];
  const profile = values['firmware-profile'];
  if (profile !== undefined && values.profiles !== undefined) {
    throw new Error('--firmware-profile and --profiles exclude each other');
  }
  const profiles = values.profiles?.split(',').map(parseFirmwareProfile);
  const ttl = values['session-ttl'];
  const sessionTtlMs = ttl === undefined ? undefined : integer(ttl, 'session-ttl', 0);
  if (sessionTtlMs === 0) throw new Error('--session-ttl must be at least 1');
  return {
    help: values.help,
    options: {
      count,
      basePort: integer(values['base-port'], 'base-port', 9101),
      host: values.host,
      models: model ? [model] : undefined,
      adminPasscode: values.passcode,
      userPasscode: values['user-passcode'],
      firmwareProfile: profile === undefined ? undefined : parseFirmwareProfile(profile),
      firmwareProfiles: profiles,
      sessionTtlMs,
      demo: values.demo,
      autoAnswerMs: autoAnswer === undefined ? undefined : integer(autoAnswer, 'auto-answer', 0),
      flowStyle: oneOf(values['flow-style'], 'flow-style', FLOW_STYLES),
      consultHangup: oneOf(values['consult-hangup'], 'consult-hangup', CONSULT_HANGUPS),
    },
  };
}

function describeProfile(profile: FirmwareProfile): string {
  // Session firmware takes the passcodes as the passwords of the web accounts `admin` and `user`.
  return profile === 'session' ? 'session login: admin / user' : profile;
}

export async function main(argv: string[]): Promise<void> {
  let args: CliArgs;
  try {
    args = parseCli(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const fleet = await startFleet(args.options);
  const admin = args.options.adminPasscode ?? 'admin';
  const user = args.options.userPasscode ?? '123';
  for (const phone of fleet.phones) {
    console.log(
      `${phone.model.padEnd(8)} ${phone.url.padEnd(22)} ${String(phone.lineCount).padStart(2)} lines  ` +
        `admin passcode ${admin}, user passcode ${user}  ${phone.name}  (${describeProfile(phone.firmwareProfile)})`,
    );
  }
  console.log(
    `${fleet.phones.length} phone(s) ready${args.options.demo ? ' in demo mode' : ''}; Ctrl+C stops.`,
  );
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    await fleet.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// Run only as the program, not when a test imports parseCli.
if (process.argv[1] && /linedeck-phone-sim(\.js)?$|cli\.ts$/.test(process.argv[1])) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
