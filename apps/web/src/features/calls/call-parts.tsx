/**
 * The parts a call shows wherever it is listed (the Calls page's rows, the console's recent calls): when
 * it started and how it went. Each caller lays them out in its own wrapper.
 */
import type { Call } from '@linedeck/contract';
import { Badge } from '../../components/ui/badge.tsx';
import { absoluteTime, DIRECTION_TEXT, outcomeText, relativeTime } from './call-text.ts';

/** The start time (the full date on hover) above how long ago that was. */
export function CallWhen({ call, now, agoClassName }: { call: Call; now: number; agoClassName: string }) {
  const when = absoluteTime(call.startedAt, now);
  return (
    <>
      <time dateTime={call.startedAt} title={when.long} className="block whitespace-nowrap font-medium">
        {when.short}
      </time>
      <span className={agoClassName}>{relativeTime(call.startedAt, now)}</span>
    </>
  );
}

/** The direction (icon and word) and the outcome badge. */
export function CallKind({ call }: { call: Call }) {
  const direction = DIRECTION_TEXT[call.direction];
  const outcome = outcomeText(call);
  return (
    <>
      <span>
        <span aria-hidden="true" className="mr-1 font-bold">
          {direction.icon}
        </span>
        {direction.label}
      </span>
      <Badge tone={outcome.tone}>{outcome.label}</Badge>
    </>
  );
}
