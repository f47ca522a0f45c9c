import { NUMBERED_KEYS } from '@linedeck/cti/protocol';
import { type ReactNode, useId, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { CALL_KEYS, DIAL_PAD, type KeyDef, LOCK_KEYS, NAV_KEYS, numberedKeys } from './keys.ts';
import { useKeyQueue } from './use-key-queue.ts';
import { useKeyboardDigits } from './use-keyboard-digits.ts';

export interface KeypadProps {
  phoneId: string;
  lineCount: number;
  /** During a call digits are DTMF sent at once; otherwise they go to the Number field. */
  callActive: boolean;
  onDigit: (digit: string) => void;
}

type KeyQueue = ReturnType<typeof useKeyQueue>;

const SOFT_KEYS = numberedKeys('SOFT', 'Soft', NUMBERED_KEYS.SOFT);
const MPK_KEYS = numberedKeys('MPK', 'MPK', NUMBERED_KEYS.MPK);
const NAV_PLACE: Record<string, string> = { UP: 'col-start-2', LEFT: 'col-start-1', DOWN: 'col-start-2' };

function Group({
  label,
  hideLabel = false,
  children,
}: {
  label: string;
  hideLabel?: boolean;
  children: ReactNode;
}) {
  return (
    <fieldset className="min-w-0">
      <legend
        className={
          hideLabel
            ? 'sr-only'
            : 'mb-1.5 font-medium text-xs text-zinc-600 uppercase tracking-wide dark:text-zinc-400'
        }
      >
        {label}
      </legend>
      {children}
    </fieldset>
  );
}

function KeyButtons({
  keys,
  queue,
  place,
}: {
  keys: readonly KeyDef[];
  queue: KeyQueue;
  place?: Record<string, string>;
}) {
  return keys.map((k) => (
    <Button
      key={k.key}
      size="sm"
      className={place?.[k.key] ?? ''}
      pending={queue.isPending(k.key)}
      onClick={() => queue.press(k.key, k.label)}
    >
      {k.label}
    </Button>
  ));
}

/** The dial pad and the phone's function keys. */
export function Keypad({ phoneId, lineCount, callActive, onDigit }: KeypadProps) {
  const queue = useKeyQueue(phoneId);
  const digit = (key: string) => (callActive ? queue.press(key, key) : onDigit(key));
  useKeyboardDigits(digit, true);
  const lineKeys = numberedKeys('LINE', 'Line', Math.min(lineCount, NUMBERED_KEYS.LINE));
  // On a phone-sized screen only the dial pad shows at first: the function keys are one tap away.
  const [more, setMore] = useState(false);
  const moreId = useId();
  const outcome = queue.outcome;

  return (
    <div className="flex flex-col gap-4">
      <Group label="Keypad" hideLabel>
        <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">
          {callActive ? 'Keys are sent to the call as tones.' : 'Keys type into the number.'}
        </p>
        <div className="grid grid-cols-3 gap-2">
          {DIAL_PAD.map((k) => (
            // Digits are never blocked while sending: presses queue in order, so "1 0 0" keeps both zeros.
            <button
              key={k.key}
              type="button"
              aria-busy={callActive && queue.isPending(k.key) ? true : undefined}
              onClick={() => digit(k.key)}
              className="flex min-h-12 cursor-pointer sm:min-h-14 flex-col items-center justify-center rounded-xl border border-zinc-300 bg-white font-mono text-2xl hover:bg-zinc-100 active:bg-zinc-200 aria-busy:border-blue-500 dark:border-zinc-600 dark:bg-zinc-800 dark:active:bg-zinc-600 dark:hover:bg-zinc-700"
            >
              {/* The name is the digit alone: the letters are decoration (aria-hidden leaves them out). */}
              <span>{k.label}</span>
              <span
                aria-hidden="true"
                className="h-3 font-sans text-[0.625rem] text-zinc-500 leading-3 dark:text-zinc-400"
              >
                {k.letters ?? ''}
              </span>
            </button>
          ))}
        </div>
      </Group>
      {/* The last key request's outcome, here rather than in a toast over the keys. */}
      <p
        role={outcome?.kind === 'error' ? 'alert' : 'status'}
        className={`min-h-5 text-sm ${outcome?.kind === 'error' ? 'text-red-700 dark:text-red-300' : 'text-zinc-600 dark:text-zinc-400'}`}
      >
        {outcome?.text}
        {outcome?.detail && <span className="block text-xs opacity-80">{outcome.detail}</span>}
      </p>
      <Button
        className="sm:hidden"
        aria-expanded={more}
        aria-controls={moreId}
        onClick={() => setMore((open) => !open)}
      >
        {more ? 'Fewer keys' : 'More keys'}
      </Button>
      <div id={moreId} className={`flex flex-col gap-4 ${more ? '' : 'max-sm:hidden'}`}>
        <Group label="Call keys">
          <div className="grid grid-cols-2 gap-2 sm:grid-cols-3">
            <KeyButtons keys={CALL_KEYS} queue={queue} />
          </div>
        </Group>
        <div className="flex flex-wrap gap-4">
          <Group label="Navigation keys">
            <div className="grid grid-cols-3 gap-2">
              <KeyButtons keys={NAV_KEYS} queue={queue} place={NAV_PLACE} />
            </div>
          </Group>
          <div className="min-w-40 flex-1">
            <Group label="Soft keys">
              <div className="grid grid-cols-2 gap-2">
                <KeyButtons keys={SOFT_KEYS} queue={queue} />
              </div>
            </Group>
          </div>
        </div>
        {lineKeys.length > 0 && (
          <Group label="Line keys">
            <div className="grid grid-cols-4 gap-2">
              <KeyButtons keys={lineKeys} queue={queue} />
            </div>
          </Group>
        )}
        <details className="rounded-lg border border-zinc-200 dark:border-zinc-800">
          <summary className="min-h-11 cursor-pointer select-none rounded-lg px-3 py-3 font-medium text-sm sm:min-h-0 sm:py-2">
            MPK keys
          </summary>
          <div className="p-3">
            <Group label="MPK keys" hideLabel>
              <div className="grid grid-cols-4 gap-2 sm:grid-cols-6">
                <KeyButtons keys={MPK_KEYS} queue={queue} />
              </div>
            </Group>
          </div>
        </details>
        <Group label="Lock keys">
          <div className="grid grid-cols-2 gap-2">
            <KeyButtons keys={LOCK_KEYS} queue={queue} />
          </div>
        </Group>
      </div>
    </div>
  );
}
