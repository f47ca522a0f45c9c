import type { LineView, Phone, PhoneState } from '@linedeck/contract';
import { memo } from 'react';
import { AUTH_RESUMES_WHEN, phoneWords } from '../../lib/auth-text.ts';
import { callerName } from '../../lib/caller.ts';
import { forwardShort, forwardText } from '../../lib/dnd-forward.ts';
import {
  callsByPriority,
  dndIsStatus,
  hasCurrentData,
  lineStateText,
  shownStatus,
} from '../../lib/status.ts';
import { callDurationMs, formatDuration } from '../../lib/time.ts';
import { shortAge } from './freshness.ts';
import {
  callerEm,
  lineEm,
  MIN_TEXT_EM,
  nameCapacity,
  nameEm,
  numberEm,
  numberInline,
} from './wall-layout.ts';
import { middleEllipsis } from './wall-names.ts';

interface WallTileProps {
  phone: Phone;
  state: PhoneState | undefined;
  stale: boolean;
  /** Wall clock (ms) when this phone's data last moved on, for "not current · 2 min". */
  seenAt: number | undefined;
  now: number;
  maxCalls: number;
  /** The tile's width for text, in em (wall-layout.ts): where names wrap and numbers go. */
  contentEm: number;
  /** Incoming calls missed today on this phone (shown only when above 0). */
  missedToday?: number | undefined;
}

/** "3 missed" beside the status, in the wall's alarm colour: a count, never who called. */
function MissedToday({ count }: { count: number }) {
  return (
    <span className="wall-status wall-missed shrink-0 font-semibold text-[0.8em]">
      {count} missed<span className="sr-only"> today</span>
    </span>
  );
}

/** A bell (an SVG: a wall's browser may have no emoji font). */
function BellIcon() {
  return (
    <svg viewBox="0 0 24 24" className="size-[1em]" fill="currentColor" aria-hidden="true">
      <path d="M12 2a1.5 1.5 0 0 0-1.5 1.5v.7A6.5 6.5 0 0 0 5.5 10.5V15l-2 2.5V19h17v-1.5l-2-2.5v-4.5a6.5 6.5 0 0 0-5-6.3v-.7A1.5 1.5 0 0 0 12 2Zm-2.5 18a2.5 2.5 0 0 0 5 0Z" />
    </svg>
  );
}

const em = (size: number) => ({ fontSize: `${size.toFixed(3)}em` });

/** A number or a duration: fixed-width figures, never cut (the layout leaves it room, or a line of its own). */
function Figures({
  children,
  className = '',
  size,
}: {
  children: string;
  className?: string;
  size?: number;
}) {
  return (
    <span
      className={`shrink-0 whitespace-nowrap font-mono tabular-nums ${className}`}
      style={size === undefined ? undefined : em(size)}
    >
      {children}
    </span>
  );
}

interface CallLineProps {
  line: LineView;
  now: number;
  contentEm: number;
  /** The phone's last read: where the timer stands still when the data is not current. */
  updatedAt: string | null | undefined;
  current: boolean;
}

/**
 * A call: the caller's name (up to two lines, smaller before it is clamped), then state, number and
 * duration on one line when they fit, else the number on a line of its own: the number is never cut.
 * The duration runs only while the phone's data is current; else it shows the last known, frozen.
 */
function CallLine({ line, now, contentEm, updatedAt, current }: CallLineProps) {
  const text = lineStateText(line.state);
  const duration = callDurationMs(line.since, updatedAt, now, current);
  const name = callerName(line);
  const number = line.remoteNumber;
  const inline = !number || numberInline(text.label.length, number.length, contentEm);
  const numberClass = name ? '' : 'font-semibold';
  const state = (
    <span className="shrink-0">
      <span className="sr-only">Line {line.line}: </span>
      {text.label}
    </span>
  );
  const time = duration !== undefined && (
    <span className="ml-auto shrink-0" data-frozen={!current}>
      <span className="sr-only">{current ? 'for ' : 'for at least '}</span>
      <Figures>{formatDuration(duration)}</Figures>
    </span>
  );
  return (
    <li className="flex min-w-0 flex-col">
      {(name || !number) && (
        <p
          className="line-clamp-2 break-words font-semibold"
          style={em(callerEm((name || 'Unknown caller').length, contentEm))}
        >
          {name || 'Unknown caller'}
        </p>
      )}
      {!inline && (
        <p className="flex min-w-0">
          <Figures className={numberClass} size={numberEm(number.length, contentEm)}>
            {number}
          </Figures>
        </p>
      )}
      {/* Wraps rather than overflows, should a font be wider than the layout's estimate. */}
      <div className="flex min-w-0 flex-wrap items-baseline gap-x-[0.4em]">
        {state}
        {inline && number && <Figures className={numberClass}>{number}</Figures>}
        {time}
      </div>
    </li>
  );
}

/**
 * Do Not Disturb and call forward as pills beside the status, in words a room can read ("DND",
 * "Fwd 2000"); screen readers hear them in full. The row wraps rather than cut a number.
 */
function CallHandling({ state, dndShown }: { state: PhoneState | undefined; dndShown: boolean }) {
  const forward = forwardShort(state?.forward);
  return (
    <>
      {state?.dnd === true && !dndShown && (
        <span className="wall-status shrink-0 font-semibold text-[0.8em]">
          <span aria-hidden="true">DND</span>
          <span className="sr-only">Do not disturb</span>
        </span>
      )}
      {forward && (
        <span className="wall-status shrink-0 font-semibold text-[0.8em]">
          <span aria-hidden="true">{forward}</span>
          <span className="sr-only">{forwardText(state?.forward)}</span>
        </span>
      )}
    </>
  );
}

/**
 * What a phone that refused LineDeck's password said ("Wrong password, 4 attempts left"), and that
 * LineDeck stopped: it takes the place of the calls, which such a phone has none of. Not dimmed with
 * the live data of a stale tile: it is the current reason, not old news.
 */
function AuthLine({ state }: { state: PhoneState | undefined }) {
  return (
    <div className="flex min-w-0 flex-col text-[0.8em]">
      <p className="line-clamp-3 break-words font-semibold">{phoneWords(state?.error?.auth)}</p>
      {/* Short on the wall (the fix is an admin's, elsewhere); in full for screen readers. */}
      <p className="wall-muted break-words">
        LineDeck stopped trying<span className="sr-only"> {AUTH_RESUMES_WHEN}</span>.
      </p>
    </div>
  );
}

/** Smaller than this, the stale line drops the age from sight (screen readers still hear it). */
const MIN_STALE_EM = MIN_TEXT_EM;

/** "⚠ Not current (2 min)", in one line: smaller in a narrow tile, then without the age. */
function StaleLine({ age, contentEm }: { age: string; contentEm: number }) {
  const withAge = lineEm(`⚠ Not current (${age})`.length, contentEm, 0.8);
  const size = withAge >= MIN_STALE_EM ? withAge : Math.max(MIN_STALE_EM, lineEm(13, contentEm, 0.8));
  return (
    <p className="mt-auto truncate font-semibold" style={em(size)}>
      <span aria-hidden="true">⚠ </span>
      Not current <span className={withAge >= MIN_STALE_EM ? '' : 'sr-only'}>({age})</span>
    </p>
  );
}

/**
 * The phone's name in its two lines: whole when it fits, else shortened in the middle so that its end
 * (what tells "... 3rd floor 301" from "... 302") stays. The full name is the heading's accessible name
 * and its title.
 */
function PhoneName({ id, name, contentEm }: { id: string; name: string; contentEm: number }) {
  const shown = middleEllipsis(name, nameCapacity(contentEm));
  const cut = shown !== name;
  return (
    <h2
      id={id}
      title={name}
      className="line-clamp-2 break-words font-semibold"
      style={em(nameEm([...shown].length, contentEm))}
    >
      {cut ? (
        <>
          <span aria-hidden="true">{shown}</span>
          <span className="sr-only">{name}</span>
        </>
      ) : (
        name
      )}
    </h2>
  );
}

/**
 * One phone on the wall: name, status, and its calls, the one that matters most first (ringing, then
 * connected, then held), as many as the tile holds, then "+N more". No controls.
 */
export const WallTile = memo(function WallTile({
  phone,
  state,
  stale,
  seenAt,
  now,
  maxCalls,
  contentEm,
  missedToday,
}: WallTileProps) {
  const status = state?.status ?? 'unknown';
  // An available phone with DND on shows DND as its status (never "Available"), not as a pill too.
  const text = shownStatus(state);
  const dndStatus = dndIsStatus(state);
  const calls = callsByPriority(state?.lines ?? []);
  const shown = calls.slice(0, Math.max(1, maxCalls));
  const more = calls.length - shown.length;
  const current = !stale && hasCurrentData(status);
  const nameId = `wall-${phone.id}`;
  const age = shortAge(seenAt === undefined ? undefined : Math.max(0, now - seenAt));
  return (
    <article
      aria-labelledby={nameId}
      data-tone={text.tone}
      data-stale={stale}
      className="wall-tile flex flex-col gap-[0.25em]"
    >
      <div className="wall-live flex min-w-0 flex-col">
        <PhoneName id={nameId} name={phone.name} contentEm={contentEm} />
        <div className="flex min-w-0 flex-wrap items-center gap-[0.4em]">
          <span className="wall-status inline-flex shrink-0 items-center gap-[0.25em] font-semibold text-[0.8em]">
            {status === 'ringing' && <BellIcon />}
            {dndStatus ? (
              <>
                <span aria-hidden="true">DND</span>
                <span className="sr-only">{text.label}</span>
              </>
            ) : (
              text.label
            )}
          </span>
          <CallHandling state={state} dndShown={dndStatus} />
          {missedToday !== undefined && missedToday > 0 && <MissedToday count={missedToday} />}
        </div>
      </div>
      {shown.length > 0 && (
        <ul
          className="wall-live wall-calls flex min-w-0 flex-col gap-[0.2em]"
          aria-label={`Calls on ${phone.name}`}
        >
          {shown.map((line) => (
            <CallLine
              key={line.line}
              line={line}
              now={now}
              contentEm={contentEm}
              updatedAt={state?.updatedAt}
              current={current}
            />
          ))}
        </ul>
      )}
      {more > 0 && (
        <p className="wall-live truncate font-semibold text-[0.8em]">
          +{more} more<span className="sr-only"> {more === 1 ? 'call' : 'calls'}</span>
        </p>
      )}
      {status === 'unauthorized' && <AuthLine state={state} />}
      {stale && <StaleLine age={age} contentEm={contentEm} />}
    </article>
  );
});
