import { describe, expect, it } from 'vitest';
import { MAX_FONT_PX, MIN_FONT_PX, wallLayout } from './wall-layout.ts';

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
    expect(wallLayout(1, 800, 1200).maxCalls).toBeGreaterThan(1);
  });

  it('survives a zero-sized area (before the first measurement)', () => {
    const layout = wallLayout(10, 0, 0);
    expect(layout.columns * layout.rows).toBeGreaterThanOrEqual(10);
    expect(layout.fontPx).toBe(MIN_FONT_PX);
  });
});
