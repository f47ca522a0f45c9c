import type { PhoneStatus } from '@linedeck/contract';
import type { ReactNode } from 'react';
import { STATUS_TEXT, type Tone } from '../../lib/status.ts';

const TONES: Record<Tone, string> = {
  neutral: 'bg-zinc-100 text-zinc-800 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-100 dark:ring-zinc-600',
  good: 'bg-green-50 text-green-800 ring-green-600/40 dark:bg-green-950 dark:text-green-200 dark:ring-green-400/40',
  busy: 'bg-amber-50 text-amber-900 ring-amber-600/40 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-400/40',
  alert:
    'bg-blue-50 text-blue-800 ring-blue-600/40 dark:bg-blue-950 dark:text-blue-200 dark:ring-blue-400/40',
  bad: 'bg-red-50 text-red-800 ring-red-600/40 dark:bg-red-950 dark:text-red-200 dark:ring-red-400/40',
  muted: 'bg-zinc-50 text-zinc-600 ring-zinc-300 dark:bg-zinc-900 dark:text-zinc-300 dark:ring-zinc-700',
};

const DOTS: Record<Tone, string> = {
  neutral: 'bg-zinc-500',
  good: 'bg-green-600 dark:bg-green-400',
  busy: 'bg-amber-500',
  alert: 'bg-blue-600 dark:bg-blue-400 animate-pulse motion-reduce:animate-none',
  bad: 'bg-red-600 dark:bg-red-400',
  muted: 'bg-zinc-400',
};

export function Badge({ tone = 'neutral', children }: { tone?: Tone; children: ReactNode }) {
  return (
    <span
      className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 font-medium text-xs ring-1 ring-inset ${TONES[tone]}`}
    >
      <span className={`size-1.5 rounded-full ${DOTS[tone]}`} aria-hidden="true" />
      {children}
    </span>
  );
}

/** A phone's status in words (never colour alone). */
export function StatusBadge({ status }: { status: PhoneStatus }) {
  const text = STATUS_TEXT[status] ?? STATUS_TEXT.unknown;
  return <Badge tone={text.tone}>{text.label}</Badge>;
}
