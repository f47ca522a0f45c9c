import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseCsv } from './csv.ts';

describe('parseCsv', () => {
  it('reads quotes, doubled quotes, CRLF, a BOM, and skips blank lines', () => {
    const rows = parseCsv('\uFEFFname,number\r\n"Doe, Jane","+49 30 1"\r\n\r\n"Say ""hi""",2\n');
    expect(rows).toEqual([
      { line: 1, fields: ['name', 'number'] },
      { line: 2, fields: ['Doe, Jane', '+49 30 1'] },
      { line: 4, fields: ['Say "hi"', '2'] },
    ]);
  });

  it('keeps line numbers right after a quoted newline, and a last row without newline', () => {
    expect(parseCsv('a,b\n"x\ny",1\nz,2')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x\ny', '1'] },
      { line: 4, fields: ['z', '2'] },
    ]);
  });
});

describe('delimiters', () => {
  it('reads semicolon and tab files as spreadsheets export them', () => {
    expect(detectDelimiter('Name;Number\nA;1')).toBe(';');
    expect(detectDelimiter('Name\tNumber\nA\t1')).toBe('\t');
    expect(detectDelimiter('"Last; First",Number\nA,1')).toBe(',');
    expect(parseCsv('name;number;company\n"Doe; Jane";030 1;"A, B"').map((r) => r.fields)).toEqual([
      ['name', 'number', 'company'],
      ['Doe; Jane', '030 1', 'A, B'],
    ]);
    expect(parseCsv('name\tnumber\nA\t1').map((r) => r.fields)).toEqual([
      ['name', 'number'],
      ['A', '1'],
    ]);
  });
});
