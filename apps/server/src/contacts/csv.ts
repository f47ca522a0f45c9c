/**
 * A small RFC 4180 reader for contact imports: double quotes ("" inside quotes), CRLF or LF, a UTF-8
 * BOM, and the delimiter spreadsheets export with (comma, semicolon in locales with a decimal comma,
 * tab), told from the header line. Rows keep the line number they start on, so errors can point at the
 * line a person sees. (The web's mapping step reads files with papaparse; this reads the API's `csv`.)
 */

export interface CsvRow {
  /** 1-based line number where the row starts (the header is line 1). */
  line: number;
  fields: string[];
}

const DELIMITERS = [',', ';', '\t'] as const;

/** The delimiter the first line uses most outside quotes; a comma when it has none. */
export function detectDelimiter(text: string): string {
  let quoted = false;
  const counts = new Map<string, number>();
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && (DELIMITERS as readonly string[]).includes(c))
      counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best = ',';
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const delimiter = detectDelimiter(input);
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    fields.push(field);
    // Blank lines are not rows: spreadsheets leave them at the end.
    if (fields.length > 1 || fields[0]?.trim() !== '') rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field.trim() === '') {
      field = '';
      quoted = true;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += c;
  }
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}
