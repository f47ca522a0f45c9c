/** Figures, their targets and the table `npm run bench` prints. */
import { fmt, round } from './stats.ts';

export interface Target {
  /** What the target applies to: the measured value or the ratio to the baseline. */
  on: 'value' | 'ratio' | 'added';
  op: '>=' | '<=' | '<';
  limit: number;
  /** Shown in the table, e.g. ">= 2,000 req/s". */
  label: string;
}

export interface Figure {
  bench: string;
  name: string;
  unit: string;
  value: number;
  /** Same measurement of the baseline, in the same run. */
  baseline?: number;
  baselineLabel?: string;
  /** value / baseline. */
  ratio?: number;
  /** value - baseline (for latency: the time the server adds). */
  added?: number;
  target?: Target;
  met?: boolean;
  note?: string;
}

export function figure(f: Omit<Figure, 'ratio' | 'added' | 'met'>): Figure {
  const out: Figure = { ...f, value: round(f.value) };
  if (f.baseline !== undefined) {
    out.baseline = round(f.baseline);
    out.ratio = round(f.baseline === 0 ? Number.POSITIVE_INFINITY : f.value / f.baseline, 3);
    out.added = round(f.value - f.baseline);
  }
  if (f.target) {
    const subject = f.target.on === 'value' ? f.value : f.target.on === 'ratio' ? out.ratio : out.added;
    const { op, limit } = f.target;
    out.met =
      subject !== undefined &&
      (op === '>=' ? subject >= limit : op === '<=' ? subject <= limit : subject < limit);
  }
  return out;
}

/** A failed benchmark still gets a row, so the table shows what is missing. */
export function failed(bench: string, error: unknown): Figure {
  return {
    bench,
    name: 'FAILED',
    unit: '',
    value: Number.NaN,
    met: false,
    note: error instanceof Error ? error.message.split('\n')[0] : String(error),
  };
}

function cell(value: number | undefined, unit = ''): string {
  if (value === undefined) return '';
  if (Number.isNaN(value)) return '-';
  return `${fmt(value)}${unit ? ` ${unit}` : ''}`;
}

export function table(figures: readonly Figure[]): string {
  const header = ['benchmark', 'figure', 'measured', 'baseline', 'ratio', 'added', 'target', 'result'];
  const rows = figures.map((f) => [
    f.bench,
    f.name,
    cell(f.value, f.unit),
    f.baseline === undefined
      ? ''
      : `${cell(f.baseline, f.unit)}${f.baselineLabel ? ` (${f.baselineLabel})` : ''}`,
    f.ratio === undefined ? '' : fmt(f.ratio, 3),
    f.added === undefined || f.target?.on !== 'added' ? '' : cell(f.added, f.unit),
    f.target?.label ?? '',
    f.met === undefined ? '' : f.met ? 'target met' : 'target missed',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const notes = figures.filter((f) => f.note).map((f) => `  ${f.bench} / ${f.name}: ${f.note}`);
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    ...(notes.length ? ['', 'notes:', ...notes] : []),
  ].join('\n');
}
