import type { LineView } from '@linedeck/contract';
import { useEffect, useReducer, useRef, useState } from 'react';
import { idleLines, type LineSlot, nextFoldInMs, nextSlots } from './line-slots.ts';

/**
 * The console's line cards in stable places (line-slots.ts), and the pointer handlers for the element
 * holding them: while the pointer is over it, ended cards keep their place.
 */
export function useLineSlots(lines: readonly LineView[]) {
  const [held, setHeld] = useState(false);
  const [, refold] = useReducer((n: number) => n + 1, 0);
  const slotsRef = useRef<LineSlot[]>([]);
  const now = Date.now();
  // Derived in render from the last slots: nextSlots is pure, so a second render gives the same places.
  const slots = nextSlots(slotsRef.current, { lines, now, held });
  slotsRef.current = slots;
  const foldIn = held ? undefined : nextFoldInMs(slots, now);

  useEffect(() => {
    if (foldIn === undefined) return;
    const timer = setTimeout(refold, foldIn + 20);
    return () => clearTimeout(timer);
  }, [foldIn]);

  return {
    slots,
    idle: idleLines(lines, slots),
    holdProps: {
      onPointerEnter: () => setHeld(true),
      onPointerLeave: () => setHeld(false),
    },
  };
}
