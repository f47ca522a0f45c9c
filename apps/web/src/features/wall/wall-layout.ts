/**
 * The wall's grid: how many columns, and how large the type, so that every tile fits the screen
 * without scrolling, from 1 phone to 200. Tiles are sized in `em`, so one font size scales a tile
 * and everything in it; the grid picks the column count that gives the largest readable type.
 */

/** A tile's height and width in em that show a phone's name, status and one call. */
export const TILE_EM_HEIGHT = 7;
export const TILE_EM_WIDTH = 11;
/** Heights in em of a tile's parts: padding + header + age line, and each call line. */
const TILE_FIXED_EM = 4.9;
const CALL_LINE_EM = 2.5;
export const MIN_FONT_PX = 8;
export const MAX_FONT_PX = 64;

export interface WallLayout {
  columns: number;
  rows: number;
  /** The gap between tiles, in px. */
  gap: number;
  /** The tile's base font size, in px. */
  fontPx: number;
  /** How many calls a tile can list before it says "+N more". */
  maxCalls: number;
}

/** Tighter gaps for bigger walls, so 200 tiles keep their space for text. */
export function wallGap(count: number): number {
  if (count > 100) return 4;
  if (count > 30) return 6;
  return 12;
}

/**
 * The layout for `count` tiles in a `width` × `height` px area. Always `columns * rows >= count`,
 * and the tiles with their gaps never exceed the area.
 */
export function wallLayout(count: number, width: number, height: number): WallLayout {
  const n = Math.max(1, Math.floor(count));
  const w = Math.max(1, width);
  const h = Math.max(1, height);
  const gap = wallGap(n);
  let best: WallLayout | undefined;
  for (let columns = 1; columns <= n; columns++) {
    const rows = Math.ceil(n / columns);
    // Only the first column count for each row count matters: more columns with as many rows is narrower.
    if (columns > 1 && Math.ceil(n / (columns - 1)) === rows) continue;
    const tileW = (w - gap * (columns - 1)) / columns;
    const tileH = (h - gap * (rows - 1)) / rows;
    if (tileW <= 0 || tileH <= 0) continue;
    const raw = Math.min(tileH / TILE_EM_HEIGHT, tileW / TILE_EM_WIDTH);
    if (!best || raw > best.fontPx) {
      best = { columns, rows, gap, fontPx: raw, maxCalls: 1 };
    }
  }
  const layout = best ?? { columns: n, rows: 1, gap, fontPx: MIN_FONT_PX, maxCalls: 1 };
  const fontPx = Math.floor(Math.min(MAX_FONT_PX, Math.max(MIN_FONT_PX, layout.fontPx)) * 10) / 10;
  const tileH = (h - gap * (layout.rows - 1)) / layout.rows;
  const maxCalls = Math.max(1, Math.floor((tileH / fontPx - TILE_FIXED_EM) / CALL_LINE_EM));
  return { ...layout, fontPx, maxCalls };
}
