import { useCallback, useEffect, useRef, useState } from 'react';
import { errorReference, errorText } from '../../lib/error-text.ts';
import { refreshPhone, sendKeys } from '../../lib/mutations.ts';

/** The outcome of the last key request, shown in the keypad itself (toasts would cover the keys). */
export interface KeyOutcome {
  kind: 'sent' | 'error';
  text: string;
  detail?: string | undefined;
}

interface Press {
  key: string;
  label: string;
}

/**
 * Key presses for one phone, sent in the order they were pressed: one request
 * at a time, and presses made while one is on its way go together in the next
 * (`keys` runs them one after another on the phone). Order matters: DTMF to an
 * IVR, or Transfer, digits, Send. Each request carries its own Idempotency-Key
 * (`sendKeys`), so "0" right after "0" goes at once instead of being taken for
 * a double click. If a request fails, the presses queued behind it are dropped
 * and said so, rather than sent out of context.
 */
export function useKeyQueue(phoneId: string) {
  const queue = useRef<Press[]>([]);
  const inFlight = useRef(false);
  const mounted = useRef(true);
  const [pending, setPending] = useState<ReadonlyMap<string, number>>(new Map());
  const [outcome, setOutcome] = useState<KeyOutcome | undefined>(undefined);
  const report = useCallback((next: KeyOutcome) => {
    if (mounted.current) setOutcome(next);
  }, []);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const count = useCallback((presses: Press[], delta: number) => {
    if (!mounted.current) return;
    setPending((current) => {
      const next = new Map(current);
      for (const { key } of presses) {
        const n = (next.get(key) ?? 0) + delta;
        if (n > 0) next.set(key, n);
        else next.delete(key);
      }
      return next;
    });
  }, []);

  const flush = useCallback(async () => {
    if (inFlight.current || queue.current.length === 0) return;
    inFlight.current = true;
    const batch = queue.current.splice(0);
    try {
      const result = await sendKeys(
        phoneId,
        batch.map((p) => p.key),
      );
      const sent = batch.map((p) => p.label).join(' ');
      report({
        kind: 'sent',
        text: result.deduplicated ? `${sent} had already been sent; not sent twice.` : `Sent ${sent}`,
      });
      refreshPhone(phoneId);
    } catch (error) {
      const dropped = queue.current.splice(0);
      count(dropped, -1);
      report({
        kind: 'error',
        text:
          dropped.length > 0
            ? `${errorText(error)} ${dropped.length} later key presses were not sent.`
            : errorText(error),
        detail: errorReference(error),
      });
    } finally {
      count(batch, -1);
      inFlight.current = false;
    }
    void flush();
  }, [phoneId, count, report]);

  const press = useCallback(
    (key: string, label: string) => {
      queue.current.push({ key, label });
      count([{ key, label }], 1);
      void flush();
    },
    [flush, count],
  );

  return {
    press,
    isPending: (key: string) => (pending.get(key) ?? 0) > 0,
    busy: pending.size > 0,
    outcome,
  };
}
