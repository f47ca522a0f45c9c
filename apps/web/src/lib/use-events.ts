/**
 * The server's event stream (`GET /api/events`, SSE), the page's live data: `state` events are written
 * straight into the query cache, `call` events (a journal `Call`, recorded or changed) feed the call
 * journal's lists and counts (calls-queries.ts), events a feature registered (stream-topics.ts, e.g.
 * `campaign`) go to that feature, and the `freshness` heartbeat tells which phones the server could not
 * read lately. State queries poll only
 * while the stream is down: it fails, the device goes offline, or its heartbeat is overdue (a connection
 * can die without an error). Reconnects forever with a capped backoff, resuming from the last event id.
 */
import type { Call, PhoneState } from '@linedeck/contract';
import { useEffect } from 'react';
import { receiveCall, refreshCalls } from './calls-queries.ts';
import { onAnsweredWhileStreamDown, reportFreshness, reportReachable, reportStream } from './connectivity.ts';
import { refetchStates, writeState } from './queries.ts';
import { onStreamTopicAdded, resyncStreamTopics, streamTopic, streamTopicNames } from './stream-topics.ts';

const MIN_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;
/** Until the first heartbeat says how often they come (the server's default). */
const DEFAULT_HEARTBEAT_MS = 2000;

function parse<T>(data: unknown): T | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    return JSON.parse(data) as T;
  } catch {
    return undefined;
  }
}

/** A journal call, as far as the cache needs it (an older server sent line events under the same name). */
export function isJournalCall(data: unknown): data is Call {
  const call = data as Partial<Call> | undefined;
  return (
    typeof call?.id === 'string' &&
    typeof call.phoneId === 'string' &&
    typeof call.startedAt === 'string' &&
    (call.direction === 'incoming' || call.direction === 'outgoing')
  );
}

/** Delay before reconnect attempt `attempt` (0-based): doubling with jitter, at most 30 s. */
export function reconnectDelay(attempt: number): number {
  const base = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** attempt);
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/** Two missed heartbeats and a second of slack: then the stream counts as down. */
export function heartbeatOverdueMs(heartbeatMs: number): number {
  return 2 * heartbeatMs + 1000;
}

interface FreshnessData {
  serverTime: number;
  staleAfterMs: number;
  heartbeatMs: number;
  stale: Record<string, string | null>;
}

function isFreshness(data: unknown): data is FreshnessData {
  const f = data as Partial<FreshnessData> | undefined;
  return (
    typeof f?.serverTime === 'number' &&
    typeof f.staleAfterMs === 'number' &&
    typeof f.heartbeatMs === 'number' &&
    typeof f.stale === 'object' &&
    f.stale !== null
  );
}

/** The stream URL resuming after `lastEventId` (a new EventSource does not send Last-Event-ID itself). */
export function streamUrl(url: string, lastEventId: string): string {
  if (!/^\d+$/.test(lastEventId)) return url;
  return `${url}${url.includes('?') ? '&' : '?'}lastEventId=${lastEventId}`;
}

/** Keeps one SSE connection open while `enabled` (signed in). */
export function useEvents(enabled: boolean, url = '/api/events'): void {
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;
    let live = false;
    let wasLive = false;
    let lastEventId = '';
    let lastFrameAt = 0;
    let heartbeatMs = DEFAULT_HEARTBEAT_MS;

    const goLive = () => {
      if (live) return;
      live = true;
      reportStream('live');
      // One fetch on (re)connect: it also tells the state queries to stop polling.
      void refetchStates();
      // Calls recorded while the stream was down may be past what it replays.
      if (wasLive) {
        refreshCalls();
        resyncStreamTopics();
      }
      wasLive = true;
    };
    const goDown = () => {
      source?.close();
      source = undefined;
      if (!live) {
        reportStream('down');
        return;
      }
      live = false;
      reportStream('down');
      // Poll until the stream is back; the refetch starts the queries' interval at once.
      void refetchStates();
    };
    const reconnectLater = () => {
      clearTimeout(timer);
      if (stopped) return;
      timer = setTimeout(connect, reconnectDelay(attempt));
      attempt = Math.min(attempt + 1, 10);
    };
    const seen = (event: Event) => {
      lastFrameAt = Date.now();
      const id = (event as MessageEvent).lastEventId;
      if (id) lastEventId = id;
    };
    const listenToTopic = (target: EventSource, name: string) => {
      target.addEventListener(name, (event) => {
        seen(event);
        streamTopic(name)?.receive(parse<unknown>((event as MessageEvent).data));
      });
    };

    function connect(): void {
      clearTimeout(timer);
      source?.close();
      if (stopped || (typeof navigator !== 'undefined' && navigator.onLine === false)) return;
      // The browser's own retry gives up on any non-200 answer (a restarting server behind a proxy), and
      // would not resume after we close a silent connection, so every reconnect is made here.
      const next = new EventSource(streamUrl(url, lastEventId), { withCredentials: true });
      source = next;
      next.addEventListener('open', () => {
        attempt = 0;
        lastFrameAt = Date.now();
        reportReachable();
        goLive();
      });
      next.addEventListener('state', (event) => {
        seen(event);
        const state = parse<PhoneState>((event as MessageEvent).data);
        if (state?.phoneId) writeState(state);
      });
      next.addEventListener('call', (event) => {
        seen(event);
        const call = parse<Call>((event as MessageEvent).data);
        if (isJournalCall(call)) receiveCall(call);
      });
      for (const name of streamTopicNames()) listenToTopic(next, name);
      next.addEventListener('freshness', (event) => {
        seen(event);
        const data = parse<unknown>((event as MessageEvent).data);
        if (!isFreshness(data)) return;
        heartbeatMs = data.heartbeatMs;
        reportFreshness({
          serverTime: data.serverTime,
          receivedAt: lastFrameAt,
          staleAfterMs: data.staleAfterMs,
          heartbeatMs: data.heartbeatMs,
          stale: new Map(Object.entries(data.stale)),
        });
      });
      next.addEventListener('error', () => {
        if (source !== next) return;
        goDown();
        reconnectLater();
      });
    }

    const watchdog = setInterval(() => {
      if (live && Date.now() - lastFrameAt > heartbeatOverdueMs(heartbeatMs)) {
        goDown();
        attempt = 0;
        connect();
      }
    }, 1000);
    const onOffline = () => {
      clearTimeout(timer);
      goDown();
    };
    const onOnline = () => {
      attempt = 0;
      connect();
    };
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    const offTopics = onStreamTopicAdded((name) => {
      if (source) listenToTopic(source, name);
    });
    const offAnswered = onAnsweredWhileStreamDown(() => {
      if (source) return;
      attempt = 0;
      connect();
    });

    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearInterval(watchdog);
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      offAnswered();
      offTopics();
      source?.close();
      reportStream('connecting');
    };
  }, [enabled, url]);
}
