/**
 * The wall's grid: how many columns, and how large the type, so that every tile fits the screen
 * without scrolling, from 1 phone to 200. Tiles are sized in `em`, so one font size scales a tile
 * and everything in it; the grid picks the column count that gives the largest type at which the
 * tiles' text still fits: the longest phone name in two lines, and a call's number always whole (on
 * its own line when it does not fit beside the call's state and duration). A caller's number is what
 * a wall is read for from across the room: it is never cut, only moved to its own line or made smaller.
 *
 * Text widths are estimated from character counts with generous per-character widths (no DOM
 * measuring, so 200 tiles cost nothing per second); names still wrap and clamp in CSS as a last resort.
 *
 * A wall is read from across a room: when the phones do not fit at READABLE_FONT_PX, they are shown
 * in pages (wallPages) rather than in smaller type. A large screen with few phones gets large type,
 * and room for every call of a busy phone (detailLayout).
 */

export const MIN_FONT_PX = 8;
/** The grid's type grows up to this: a 4K wall with 4 phones (tiles about 1900 px wide). */
export const MAX_FONT_PX = 128;
/** The least any text in a tile is drawn at, in em of the tile's font. */
export const MIN_TEXT_EM = 0.8;
/** The least tile font of a page: its smallest text (MIN_TEXT_EM) is then 14.4 px. */
export const READABLE_FONT_PX = 18;
/** A busy phone's calls are all listed (the whole wall's type made smaller for it) while the type stays this large. */
export const DETAIL_FONT_PX = 40;
/** The most calls a tile is laid out to list in full; more say "+N more". */
const MAX_DETAIL_CALLS = 4;

/** Line height of every text in a tile (wall.css). */
const LINE = 1.25;
/** The phone name's size (em of the tile's font), and the least it shrinks to before it is clamped. */
export const NAME_EM = 1.15;
const MIN_NAME_EM = MIN_TEXT_EM;
/** The least size a caller's name shrinks to before it is clamped, and a number before it may overflow. */
const MIN_CALLER_EM = MIN_TEXT_EM;
const MIN_NUMBER_EM = MIN_TEXT_EM;
/**
 * Average advance per character in em, rounded up from DejaVu Sans (Bold) and Liberation Mono (a Linux
 * wall's fonts, among the widest): the estimates err towards "does not fit", which costs a little size.
 */
const BOLD_CHAR_EM = 0.66;
const TEXT_CHAR_EM = 0.62;
const MONO_CHAR_EM = 0.62;
/** Two wrapped lines hold a little less than twice one line: words do not break mid-way. */
const TWO_LINES = 1.75;
/** Horizontal space a tile takes around its text: padding 0.6em and the ringing border 0.25em, each side. */
const TILE_CHROME_X = 1.7;
/** Vertical: padding 0.4em and the ringing border 0.25em, top and bottom. */
const TILE_CHROME_Y = 1.3;
/** The status pill (0.8em text with its border) and the gap below the header. */
const STATUS_EM = 0.8 * LINE + 0.15;
const GAP_EM = 0.25;
/** Between the parts of a call row, and between calls. */
const INLINE_GAP_EM = 0.4;
const CALL_GAP_EM = 0.2;
/** The "not current" line of a stale tile (0.8em), always reserved: a tile going stale must not jump. */
const STALE_EM = 0.8 * LINE + GAP_EM;
/** The "+2 more" line under the calls a tile has no room for, reserved likewise. */
const MORE_EM = 0.8 * LINE + GAP_EM;
/** A running duration: "12:34" (an hour-long call's "1:02:03" still fits: it takes the gap beside it). */
const DURATION_CHARS = 5;
/** Even with short texts a tile keeps room for its status pill ("Unauthorized"). */
const MIN_CONTENT_EM = 7;

/** The longest texts the tiles show, in characters: the font is chosen so that they fit. */
export interface WallText {
  /** Phone name. */
  name: number;
  /** Caller's name on a call. */
  caller: number;
  /** Caller's number on a call. */
  number: number;
  /** A call's state in words ("Connected"). */
  state: number;
}

/**
 * What a wall is laid out for at least, calls or not: a typical name and an international number, so
 * the type does not jump when the first call of the day rings.
 */
export const TYPICAL_TEXT: WallText = { name: 12, caller: 16, number: 13, state: 9 };

export interface WallLayout {
  columns: number;
  rows: number;
  /** The gap between tiles, in px. */
  gap: number;
  /** The tile's base font size, in px. */
  fontPx: number;
  /** How many calls a tile can list before it says "+N more". */
  maxCalls: number;
  /** The width a tile has for its text, in em of `fontPx` (for the tile's own line breaks). */
  contentEm: number;
}

/** Tighter gaps for bigger walls, so 200 tiles keep their space for text. */
export function wallGap(count: number): number {
  if (count > 100) return 4;
  if (count > 30) return 6;
  return 12;
}

/** The phone name's size in em: as large as NAME_EM while it fits two lines, never below MIN_NAME_EM. */
export function nameEm(chars: number, contentEm: number): number {
  const fit = (TWO_LINES * contentEm) / (Math.max(1, chars) * BOLD_CHAR_EM);
  return Math.max(MIN_NAME_EM, Math.min(NAME_EM, fit));
}

/**
 * How many characters of a phone's name fit its two lines at the least name size: a longer name is
 * shortened in the middle (wall-names.ts) so that its end, which tells similar names apart, stays.
 */
export function nameCapacity(contentEm: number): number {
  return Math.max(4, Math.floor((TWO_LINES * contentEm) / (BOLD_CHAR_EM * MIN_NAME_EM)));
}

/** A caller name's size in em: 1 while it fits two lines, never below MIN_CALLER_EM. */
export function callerEm(chars: number, contentEm: number): number {
  const fit = (TWO_LINES * contentEm) / (Math.max(1, chars) * BOLD_CHAR_EM);
  return Math.max(MIN_CALLER_EM, Math.min(1, fit));
}

/** Whether a number fits on one line with the call's state and duration (else it gets a line of its own). */
export function numberInline(stateChars: number, numberChars: number, contentEm: number): boolean {
  const width =
    stateChars * TEXT_CHAR_EM +
    numberChars * MONO_CHAR_EM +
    DURATION_CHARS * MONO_CHAR_EM +
    2 * INLINE_GAP_EM;
  return width <= contentEm;
}

/** A number's size in em on a line of its own: 1, or smaller when even a whole line is too narrow. */
export function numberEm(chars: number, contentEm: number): number {
  return Math.max(MIN_NUMBER_EM, Math.min(1, contentEm / (Math.max(1, chars) * MONO_CHAR_EM)));
}

/** The size in em (at most `maxEm`, maybe tiny) at which `chars` characters of bold text fill one line. */
export function lineEm(chars: number, contentEm: number, maxEm: number): number {
  return Math.min(maxEm, contentEm / (Math.max(1, chars) * BOLD_CHAR_EM));
}

function lines(chars: number, charEm: number, contentEm: number): 1 | 2 {
  return chars * charEm <= contentEm ? 1 : 2;
}

/** A tile's height in em without its calls, and the height of one call, for text of these lengths. */
export function tileParts(text: WallText, contentEm: number): { fixed: number; call: number } {
  const nameLines = lines(text.name, BOLD_CHAR_EM * NAME_EM, contentEm);
  const fixed = TILE_CHROME_Y + nameLines * NAME_EM * LINE + STATUS_EM + GAP_EM + STALE_EM + MORE_EM;
  const callerLines = text.caller > 0 ? lines(text.caller, BOLD_CHAR_EM, contentEm) : 0;
  const numberLines = text.number > 0 && !numberInline(text.state, text.number, contentEm) ? 2 : 1;
  return { fixed, call: (callerLines + numberLines) * LINE + CALL_GAP_EM };
}

/** Whether a tile with `calls` calls fits `tileW` × `tileH` px at `fontPx`, every number whole at full size. */
function fitsAt(text: WallText, calls: number, tileW: number, tileH: number, fontPx: number): boolean {
  const contentEm = tileW / fontPx - TILE_CHROME_X;
  if (contentEm < MIN_CONTENT_EM || text.number * MONO_CHAR_EM > contentEm) return false;
  const { fixed, call } = tileParts(text, contentEm);
  return fixed + calls * call <= tileH / fontPx;
}

/** The largest font (px, to 0.1) at which the tile fits, or 0 when not even MIN_FONT_PX does. */
function largestFont(text: WallText, calls: number, tileW: number, tileH: number): number {
  if (!fitsAt(text, calls, tileW, tileH, MIN_FONT_PX)) return 0;
  let lo = MIN_FONT_PX;
  let hi = MAX_FONT_PX;
  if (fitsAt(text, calls, tileW, tileH, hi)) return hi;
  // Smaller type always fits at least as well (more em across, more em down): bisect.
  while (hi - lo > 0.05) {
    const mid = (lo + hi) / 2;
    if (fitsAt(text, calls, tileW, tileH, mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** At least the typical text: the layout does not change with every short name or missing call. */
function atLeastTypical(text: Partial<WallText>): WallText {
  return {
    name: Math.max(TYPICAL_TEXT.name, text.name ?? 0),
    caller: Math.max(TYPICAL_TEXT.caller, text.caller ?? 0),
    number: Math.max(TYPICAL_TEXT.number, text.number ?? 0),
    state: Math.max(TYPICAL_TEXT.state, text.state ?? 0),
  };
}

/**
 * The layout for `count` tiles in a `width` × `height` px area, for texts up to `text` long, with room
 * for `calls` calls per tile. Always `columns * rows >= count`, and the tiles with their gaps never
 * exceed the area.
 */
export function wallLayout(
  count: number,
  width: number,
  height: number,
  text: Partial<WallText> = {},
  calls = 1,
): WallLayout {
  const n = Math.max(1, Math.floor(count));
  const w = Math.max(1, width);
  const h = Math.max(1, height);
  const gap = wallGap(n);
  const longest = atLeastTypical(text);
  let best: { columns: number; rows: number; font: number; area: number } | undefined;
  for (let columns = 1; columns <= n; columns++) {
    const rows = Math.ceil(n / columns);
    // Only the first column count for each row count matters: more columns with as many rows is narrower.
    if (columns > 1 && Math.ceil(n / (columns - 1)) === rows) continue;
    const tileW = (w - gap * (columns - 1)) / columns;
    const tileH = (h - gap * (rows - 1)) / rows;
    if (tileW <= 0 || tileH <= 0) continue;
    const font = largestFont(longest, Math.max(1, calls), tileW, tileH);
    // Where nothing fits even the smallest type, the grid with the largest tiles is the least bad.
    const area = Math.min(tileW / TILE_CHROME_X, tileH);
    if (!best || font > best.font || (font === 0 && best.font === 0 && area > best.area)) {
      best = { columns, rows, font, area };
    }
  }
  const columns = best?.columns ?? n;
  const rows = best?.rows ?? 1;
  const fontPx = Math.floor(Math.min(MAX_FONT_PX, Math.max(MIN_FONT_PX, best?.font ?? 0)) * 10) / 10;
  const tileW = (w - gap * (columns - 1)) / columns;
  const tileH = (h - gap * (rows - 1)) / rows;
  const contentEm = Math.max(0, tileW / fontPx - TILE_CHROME_X);
  const { fixed, call } = tileParts(longest, contentEm);
  const maxCalls = Math.max(1, Math.floor((tileH / fontPx - fixed) / call));
  return { columns, rows, gap, fontPx, maxCalls, contentEm };
}

/**
 * The layout for a wall whose busiest tile has `mostCalls` calls: every one of them listed when the
 * type can stay at DETAIL_FONT_PX or more (a large screen with few phones), else the one-call layout
 * (the tile shows the call that matters most and "+N more").
 */
export function detailLayout(
  count: number,
  width: number,
  height: number,
  text: Partial<WallText>,
  mostCalls: number,
): WallLayout {
  for (let calls = Math.min(mostCalls, MAX_DETAIL_CALLS); calls > 1; calls--) {
    const roomy = wallLayout(count, width, height, text, calls);
    if (roomy.fontPx >= DETAIL_FONT_PX) return roomy;
  }
  return wallLayout(count, width, height, text);
}

export interface WallPages {
  /** Tiles on each page (the last may have fewer): every page has the same grid. */
  perPage: number;
  pages: number;
}

/**
 * How many pages `count` tiles need so that each page's type is at least READABLE_FONT_PX: one page
 * when they all fit, else as few pages as will do, filled evenly (4 pages of 50, not 3 of 60 and one of 20).
 */
export function wallPages(
  count: number,
  width: number,
  height: number,
  text: Partial<WallText> = {},
): WallPages {
  const n = Math.max(0, Math.floor(count));
  const readable = (k: number) => wallLayout(k, width, height, text).fontPx >= READABLE_FONT_PX;
  if (n <= 1 || readable(n)) return { perPage: Math.max(1, n), pages: 1 };
  // The font falls as tiles are added (nearly always: grid shapes make small exceptions): bisect, then check.
  let lo = 1;
  let hi = n;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (readable(mid)) lo = mid;
    else hi = mid;
  }
  let pages = Math.ceil(n / lo);
  while (pages < n && !readable(Math.ceil(n / pages))) pages++;
  return { perPage: Math.ceil(n / pages), pages };
}
