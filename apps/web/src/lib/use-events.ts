/**
 * The server's event stream (`GET /api/events`, SSE): `state` events are written
 * straight into the query cache so a change shows at once, `call` events are
 * handed to subscribers (the incoming-call pop-up). Reconnects forever with a
 * capped backoff; polling keeps the screen right while the stream is down.
 */
import type { CallEvent, PhoneState } from '@linedeck/contract';
import { useEffect } from 'react';
import { reportReachable } from './connectivity.ts';
import { writeState } from './queries.ts';

const MIN_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

type CallListener = (event: CallEvent) => void;
const callListeners = new Set<CallListener>();

/** Subscribes to pushed call events (ringing, answered, ...); returns the unsubscribe function. */
export function onCallEvent(listener: CallListener): () => void {
  callListeners.add(listener);
  return () => callListeners.delete(listener);
}

function parse<T>(data: unknown): T | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    return JSON.parse(data) as T;
  } catch {
    return undefined;
  }
}

/** Delay before reconnect attempt `attempt` (0-based): doubling with jitter, at most 30 s. */
export function reconnectDelay(attempt: number): number {
  const base = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** attempt);
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/** Keeps one SSE connection open while `enabled` (signed in). */
export function useEvents(enabled: boolean, url = '/api/events'): void {
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;

    const connect = () => {
      // The browser's own retry gives up on any non-200 answer (a restarting
      // server behind a proxy), so every error is handled here instead.
      source = new EventSource(url, { withCredentials: true });
      source.addEventListener('open', () => {
        attempt = 0;
        reportReachable();
      });
      source.addEventListener('state', (event) => {
        const state = parse<PhoneState>((event as MessageEvent).data);
        if (state?.phoneId) writeState(state);
      });
      source.addEventListener('call', (event) => {
        const call = parse<CallEvent>((event as MessageEvent).data);
        if (!call?.phoneId) return;
        for (const listener of callListeners) listener(call);
      });
      source.addEventListener('error', () => {
        source?.close();
        if (stopped) return;
        timer = setTimeout(connect, reconnectDelay(attempt));
        attempt = Math.min(attempt + 1, 10);
      });
    };

    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [enabled, url]);
}
