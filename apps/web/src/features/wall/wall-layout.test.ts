import { describe, expect, it } from 'vitest';
import {
  callerEm,
  DETAIL_FONT_PX,
  detailLayout,
  MAX_FONT_PX,
  MIN_FONT_PX,
  MIN_TEXT_EM,
  NAME_EM,
  nameCapacity,
  nameEm,
  numberEm,
  numberInline,
  READABLE_FONT_PX,
  TYPICAL_TEXT,
  tileParts,
  type WallLayout,
  wallLayout,
  wallPages,
} from './wall-layout.ts';

function fits(count: number, width: number, height: number) {
  const layout = wallLayout(count, width, height);
  const tileW = (width - layout.gap * (layout.columns - 1)) / layout.columns;
  const tileH = (height - layout.gap * (layout.rows - 1)) / layout.rows;
  return { layout, tileW, tileH };
}

describe('wallLayout', () => {
  it('gives every count from 1 to 200 a cell, within the area', () => {
    for (let count = 1; count <= 200; count++) {
      const { layout, tileW, tileH } = fits(count, 1920, 1040);
      expect(layout.columns * layout.rows).toBeGreaterThanOrEqual(count);
      // No empty last row: the grid is no taller than it needs to be.
      expect((layout.rows - 1) * layout.columns).toBeLessThan(count);
      expect(tileW).toBeGreaterThan(0);
      expect(tileH).toBeGreaterThan(0);
      expect(layout.fontPx).toBeGreaterThanOrEqual(MIN_FONT_PX);
      expect(layout.fontPx).toBeLessThanOrEqual(MAX_FONT_PX);
      expect(layout.maxCalls).toBeGreaterThanOrEqual(1);
    }
  });

  it('gets denser as the count grows', () => {
    const sizes = [1, 4, 12, 50, 100, 200].map((n) => wallLayout(n, 1920, 1040).fontPx);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeLessThanOrEqual(sizes[i - 1] as number);
    expect(wallLayout(200, 1920, 1040).columns).toBeGreaterThan(wallLayout(50, 1920, 1040).columns);
  });

  it('keeps 50 phones on a 1080p wall readable (type of at least 16 px)', () => {
    const layout = wallLayout(50, 1920, 1040);
    expect(layout.fontPx).toBeGreaterThanOrEqual(16);
    expect(layout.columns * layout.rows).toBeGreaterThanOrEqual(50);
  });

  it('uses fewer columns on a portrait screen', () => {
    expect(wallLayout(12, 1080, 1880).columns).toBeLessThan(wallLayout(12, 1880, 1080).columns);
  });

  it('lists more calls when tiles are tall', () => {
    expect(wallLayout(2, 1920, 1040).maxCalls).toBeGreaterThan(wallLayout(200, 1920, 1040).maxCalls - 1);
    expect(wallLayout(1, 800, 1200, {}, 3).maxCalls).toBeGreaterThanOrEqual(3);
  });

  it('survives a zero-sized area (before the first measurement)', () => {
    const layout = wallLayout(10, 0, 0);
    expect(layout.columns * layout.rows).toBeGreaterThanOrEqual(10);
    expect(layout.fontPx).toBe(MIN_FONT_PX);
  });
});

describe('wallLayout with the texts on the wall', () => {
  // A 1600x900 wall display with 4 phones and the longest texts it shows: a long phone name, a long caller name, an international number.
  const long = { name: 'Accounts receivable (simulated)'.length, caller: 28, number: 14, state: 7 };

  function cell(layout: WallLayout, width: number, height: number) {
    return {
      w: (width - layout.gap * (layout.columns - 1)) / layout.columns,
      h: (height - layout.gap * (layout.rows - 1)) / layout.rows,
    };
  }

  it('keeps the whole number at full size and the name in two lines on a 4-phone wall', () => {
    for (const [width, height] of [
      [1590, 850],
      [1910, 1030],
    ] as const) {
      const layout = wallLayout(4, width, height, long);
      expect(layout.columns * layout.rows).toBeGreaterThanOrEqual(4);
      expect(numberEm(long.number, layout.contentEm)).toBe(1);
      expect(nameEm(long.name, layout.contentEm)).toBe(NAME_EM);
      // Still large type: a wall is read from across the room.
      expect(layout.fontPx).toBeGreaterThanOrEqual(32);
    }
  });

  it('fits a tile with one call (and the stale line) in its cell, for 1 to 200 phones in pages', () => {
    for (const text of [{}, long]) {
      for (let count = 1; count <= 200; count++) {
        const layout = wallLayout(wallPages(count, 1920, 1040, text).perPage, 1920, 1040, text);
        const { w, h } = cell(layout, 1920, 1040);
        const { fixed, call } = tileParts({ ...TYPICAL_TEXT, ...text }, layout.contentEm);
        expect(layout.contentEm).toBeCloseTo(w / layout.fontPx - 1.7, 5);
        expect((fixed + layout.maxCalls * call) * layout.fontPx).toBeLessThanOrEqual(h + 0.5);
        // A number is never cut: the longest fits a line of its own at full size.
        const longest = { ...TYPICAL_TEXT, ...text }.number;
        expect(numberEm(longest, layout.contentEm), `${count} phones`).toBe(1);
      }
    }
  });

  it('shrinks the type for longer texts, and not for shorter ones than a typical wall has', () => {
    expect(wallLayout(4, 1590, 850, long).fontPx).toBeLessThan(wallLayout(4, 1590, 850).fontPx);
    expect(wallLayout(50, 1920, 1040, { name: 7, caller: 5, number: 7, state: 7 })).toEqual(
      wallLayout(50, 1920, 1040),
    );
  });

  it('keeps 50 phones with ringing international numbers readable', () => {
    const layout = wallLayout(50, 1920, 1040, { name: 7, caller: 12, number: 14, state: 9 });
    expect(layout.fontPx).toBeGreaterThanOrEqual(16);
    expect(numberEm(14, layout.contentEm)).toBe(1);
  });

  it('puts the number on its own line only when it does not fit beside state and duration', () => {
    expect(numberInline(7, 14, 20)).toBe(true);
    expect(numberInline(7, 14, 10)).toBe(false);
    expect(numberEm(14, 20)).toBe(1);
    expect(numberEm(30, 9)).toBeLessThan(1);
  });

  it('shrinks a name to fit two lines before clamping, within bounds', () => {
    expect(nameEm(8, 10)).toBe(NAME_EM);
    expect(nameEm(40, 10)).toBeLessThan(NAME_EM);
    expect(nameEm(500, 10)).toBeGreaterThan(0.5);
    expect(callerEm(10, 10)).toBe(1);
    expect(callerEm(60, 10)).toBeLessThan(1);
  });
});

describe('wallPages', () => {
  it('keeps every text at 14 px or more at 1920x1080, for 1 to 200 phones', () => {
    for (const text of [{}, { name: 40, caller: 28, number: 14, state: 9 }]) {
      for (let count = 1; count <= 200; count++) {
        const { perPage, pages } = wallPages(count, 1910, 1030, text);
        expect(perPage * pages).toBeGreaterThanOrEqual(count);
        // No page left empty, and no more pages than needed for even pages.
        expect((pages - 1) * perPage).toBeLessThan(count);
        const layout = wallLayout(perPage, 1910, 1030, text);
        expect(layout.fontPx, `${count} phones`).toBeGreaterThanOrEqual(READABLE_FONT_PX);
        expect(layout.fontPx * MIN_TEXT_EM).toBeGreaterThanOrEqual(14);
      }
    }
  });

  it('shows a small wall on one page and splits 200 phones into a few even pages', () => {
    expect(wallPages(12, 1910, 1030)).toEqual({ perPage: 12, pages: 1 });
    const big = wallPages(200, 1910, 1030);
    expect(big.pages).toBeGreaterThan(1);
    expect(big.pages).toBeLessThanOrEqual(6);
    expect(big.perPage * big.pages - 200).toBeLessThan(big.pages);
    // A 4K screen holds more phones per page at the same least size.
    expect(wallPages(200, 3830, 2110).perPage).toBeGreaterThan(big.perPage);
  });

  it('survives no phones and a zero-sized area', () => {
    expect(wallPages(0, 1910, 1030)).toEqual({ perPage: 1, pages: 1 });
    expect(wallPages(10, 0, 0).perPage * wallPages(10, 0, 0).pages).toBeGreaterThanOrEqual(10);
  });
});

describe('detailLayout', () => {
  it('uses a 4K screen with 4 phones for larger type than 1080p, with every call of a busy phone', () => {
    const hd = detailLayout(4, 1910, 1030, {}, 1);
    const uhd = detailLayout(4, 3830, 2110, {}, 1);
    expect(uhd.fontPx).toBeGreaterThan(hd.fontPx * 1.5);
    expect(uhd.fontPx).toBeLessThanOrEqual(MAX_FONT_PX);
    const busy = detailLayout(4, 3830, 2110, {}, 3);
    expect(busy.maxCalls).toBeGreaterThanOrEqual(3);
    expect(busy.fontPx).toBeGreaterThanOrEqual(DETAIL_FONT_PX);
  });

  it('keeps the one-call layout where listing every call would make the type small', () => {
    const page = wallPages(200, 1910, 1030).perPage;
    expect(detailLayout(page, 1910, 1030, {}, 3)).toEqual(wallLayout(page, 1910, 1030));
  });
});

describe('nameCapacity', () => {
  it('grows with the tile and allows two lines at the least name size', () => {
    expect(nameCapacity(20)).toBeGreaterThan(nameCapacity(8));
    expect(nameCapacity(8)).toBe(Math.floor((1.75 * 8) / (0.66 * MIN_TEXT_EM)));
  });
});
