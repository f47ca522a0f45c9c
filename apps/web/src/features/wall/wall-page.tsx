import type { Phone, PhoneState } from '@linedeck/contract';
import { useQuery } from '@tanstack/react-query';
import { type RefObject, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { callerName } from '../../lib/caller.ts';
import { callQueries } from '../../lib/calls-queries.ts';
import { useConnectivity, useStreamFreshness } from '../../lib/connectivity.ts';
import { phoneQueries, STATE_POLL_MS, stateQueries } from '../../lib/queries.ts';
import { queryClient } from '../../lib/query-client.ts';
import { useLocation } from '../../lib/router.tsx';
import { lineStateText } from '../../lib/status.ts';
import { useNow } from '../../lib/time.ts';
import { tileFreshness } from './freshness.ts';
import { useWakeLock } from './use-wake-lock.ts';
import { fleetFigures, ringingLines } from './wall-fleet.ts';
import { WallFleetBar } from './wall-fleet-bar.tsx';
import { detailLayout, type WallText, wallPages } from './wall-layout.ts';
import { WallTile } from './wall-tile.tsx';
import { currentPage, parseWallOptions, selectWallPhones } from './wall-view.ts';
import './wall.css';

/** Before the stream's first word: data older than this is marked "not current" (3 poll intervals). */
export const STALE_AFTER_MS = 3 * STATE_POLL_MS;

const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The longest phone name and call texts (in characters) of these phones, for the layout. */
function longestText(phones: readonly Phone[], states: readonly PhoneState[]): WallText {
  const text: WallText = { name: 0, caller: 0, number: 0, state: 0 };
  for (const phone of phones) text.name = Math.max(text.name, phone.name.length);
  for (const state of states) {
    for (const line of state.lines) {
      if (line.state === 'idle') continue;
      text.caller = Math.max(text.caller, callerName(line).length);
      text.number = Math.max(text.number, line.remoteNumber.length);
      text.state = Math.max(text.state, lineStateText(line.state).label.length);
    }
  }
  return text;
}

/** After a ring stops, the journal has recorded it this soon (the recorder writes in batches). */
const TODAY_AFTER_RING_MS = 1500;

/**
 * Today's counts: read every 30 s, and again soon after a ringing line stops (missed or answered). A
 * principal that may not read them (an older server, a 403) gets no figures and no error on the wall.
 */
function useCallsToday(ringing: number) {
  const today = useQuery(callQueries.today());
  const previous = useRef(ringing);
  useEffect(() => {
    const dropped = ringing < previous.current;
    previous.current = ringing;
    if (!dropped) return;
    const timer = setTimeout(
      () => void queryClient.invalidateQueries({ queryKey: callQueries.today().queryKey }),
      TODAY_AFTER_RING_MS,
    );
    return () => clearTimeout(timer);
  }, [ringing]);
  return today.isError ? undefined : today.data;
}

/** The size of an element, kept up to date (the grid's area decides its layout). */
function useSize<T extends HTMLElement>(): [RefObject<T | null>, { width: number; height: number }] {
  const ref = useRef<T>(null);
  const [size, setSize] = useState(() => ({
    width: typeof window === 'undefined' ? 1280 : window.innerWidth,
    height: typeof window === 'undefined' ? 720 : window.innerHeight - 48,
  }));
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      const { width, height } = element.getBoundingClientRect();
      setSize((s) =>
        Math.round(s.width) === Math.round(width) && Math.round(s.height) === Math.round(height)
          ? s
          : { width, height },
      );
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, size];
}

/**
 * The wall display: every phone the principal may see (a display key's phones), readable from
 * across a room, for weeks. Data comes from the shared state poll and the event stream (both
 * reconnect by themselves); the screen is kept awake; nothing here grows with time.
 */
export function WallPage() {
  const { search } = useLocation();
  const { options, problems } = useMemo(() => parseWallOptions(search), [search]);
  const theme = options.theme;
  const phones = useQuery(phoneQueries.list());
  const states = useQuery(stateQueries.all());
  const now = useNow();
  const { state: connectivity } = useConnectivity();
  const { stream, freshness } = useStreamFreshness();
  const awake = useWakeLock();
  const [gridRef, size] = useSize<HTMLDivElement>();

  useEffect(() => {
    document.title = 'Wall · LineDeck';
  }, []);

  const stateById = useMemo(() => new Map((states.data ?? []).map((s) => [s.phoneId, s])), [states.data]);
  // Ringing, calls and problems first; `?show=active` and `?phones=` choose which.
  const selection = useMemo(
    () => selectWallPhones(phones.data ?? [], stateById, options),
    [phones.data, stateById, options],
  );
  const list = selection.phones;
  const total = phones.data?.length ?? 0;

  // The longest texts on the wall: the type is as large as lets them fit (numbers whole, names in 2 lines).
  const text = useMemo(() => longestText(list, states.data ?? []), [list, states.data]);
  // More phones than fit at a readable size take turns in pages, all with the same grid.
  const pages = useMemo(
    () => wallPages(list.length, size.width, size.height, text),
    [list.length, size.width, size.height, text],
  );
  const page = currentPage(now, pages.pages, options.pageSeconds, options.page);
  const onPage = list.slice(page * pages.perPage, (page + 1) * pages.perPage);
  const mostCalls = Math.max(
    1,
    ...onPage.map((p) => stateById.get(p.id)?.lines.filter((l) => l.state !== 'idle').length ?? 0),
  );
  const layout = useMemo(
    () => detailLayout(pages.perPage, size.width, size.height, text, mostCalls),
    [pages.perPage, size.width, size.height, text, mostCalls],
  );
  const today = useCallsToday(ringingLines(states.data));
  // The fleet is what the address chose (`?phones=`), quiet phones included even with `?show=active`.
  const fleetIds = useMemo(
    () =>
      selectWallPhones(phones.data ?? [], stateById, { show: 'all', phones: options.phones }).phones.map(
        (p) => p.id,
      ),
    [phones.data, stateById, options.phones],
  );
  const fleet = fleetFigures(fleetIds, stateById, today, now);
  // The stream's heartbeat vouches for the data as much as a fetched answer does.
  const lastUpdate = Math.max(states.dataUpdatedAt, freshness?.receivedAt ?? 0) || undefined;
  const behind =
    stream === 'down' || lastUpdate === undefined || (stream !== 'live' && now - lastUpdate > STALE_AFTER_MS);

  return (
    <div className="wall fixed inset-0 z-[45] flex flex-col overflow-hidden" data-theme={theme}>
      <h1 className="sr-only">Wall display</h1>
      <div className="min-h-0 flex-1 p-[0.5vmin]">
        <div ref={gridRef} className="h-full w-full" style={{ fontSize: `${layout.fontPx}px` }}>
          {phones.isPending ? (
            <p className="wall-muted p-4 text-2xl">Loading phones…</p>
          ) : list.length === 0 ? (
            <p className="wall-muted p-4 text-2xl">
              {phones.isError
                ? 'The phones cannot be loaded yet. The wall keeps trying.'
                : total > 0 && options.show === 'active'
                  ? 'No calls and no problems right now.'
                  : 'No phones to show.'}
            </p>
          ) : (
            <div
              className="grid h-full w-full"
              data-columns={layout.columns}
              data-page={page + 1}
              style={{
                gap: `${layout.gap}px`,
                gridTemplateColumns: `repeat(${layout.columns}, minmax(0, 1fr))`,
                gridTemplateRows: `repeat(${layout.rows}, minmax(0, 1fr))`,
              }}
            >
              {onPage.map((phone) => {
                const state = stateById.get(phone.id);
                const fresh = tileFreshness(phone.id, state, stream, freshness, now, STALE_AFTER_MS);
                return (
                  <WallTile
                    key={phone.id}
                    phone={phone}
                    state={state}
                    stale={fresh.stale}
                    seenAt={fresh.ageMs === undefined ? undefined : now - fresh.ageMs}
                    now={now}
                    maxCalls={layout.maxCalls}
                    contentEm={layout.contentEm}
                    missedToday={today?.phones[phone.id]?.missed}
                  />
                );
              })}
            </div>
          )}
        </div>
      </div>
      {/* Scales with the screen: 16 px on 1080p, twice that on 4K. */}
      <footer
        className="wall-muted flex h-[2.5em] shrink-0 items-center gap-[1em] px-[0.75em]"
        style={{ fontSize: 'clamp(16px, 1.5vh, 40px)' }}
      >
        <span className="truncate">
          LineDeck · {list.length === total ? '' : `${list.length} of `}
          {total} {total === 1 ? 'phone' : 'phones'}
          {options.show === 'active' && ' (calls and problems)'}
        </span>
        <WallFleetBar figures={fleet} />
        {pages.pages > 1 && (
          <strong className="shrink-0 text-[var(--wall-fg)]" aria-live="off">
            Page {page + 1} of {pages.pages}
          </strong>
        )}
        {(problems.length > 0 || selection.unknown.length > 0) && (
          <span className="truncate text-[var(--wall-fg)]">
            Not used from the address:{' '}
            {[...problems, ...selection.unknown.map((name) => `no phone named "${name}"`)].join('; ')}
          </span>
        )}
        {connectivity !== 'ok' && (
          <strong role="status" className="text-[var(--wall-bad)]">
            {connectivity === 'device_offline' ? 'This screen is offline' : 'Server not answering'}:
            reconnecting…
          </strong>
        )}
        <span className="ml-auto flex items-center gap-[1em] tabular-nums">
          {awake && <span className="sr-only">Screen kept awake</span>}
          <span className={behind ? 'font-semibold text-[var(--wall-bad)]' : ''}>
            Last update {lastUpdate === undefined ? 'none yet' : timeFormat.format(lastUpdate)}
          </span>
          <time
            className="font-semibold text-[1.5em] text-[var(--wall-fg)]"
            dateTime={new Date(now).toISOString()}
          >
            {clockFormat.format(now)}
          </time>
        </span>
      </footer>
    </div>
  );
}

/** A wall whose display key was revoked (or a browser that was never signed in). */
export function WallSignedOut() {
  useEffect(() => {
    document.title = 'Wall signed out · LineDeck';
  }, []);
  return (
    <main id="main" className="wall fixed inset-0 flex items-center justify-center p-6" data-theme="dark">
      <div className="max-w-xl text-center">
        <h1 className="mb-3 font-semibold text-3xl">This wall display is signed out</h1>
        <p className="wall-muted mb-6 text-lg">
          Its display key was revoked or has expired. Open the wall's display link again (an admin creates one
          under Settings → Access), or sign in.
        </p>
        <a href="/" className="rounded-lg border border-current px-4 py-2 text-lg">
          Sign in
        </a>
      </div>
    </main>
  );
}
