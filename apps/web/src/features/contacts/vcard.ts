/**
 * A small vCard reader (3.0 and 4.0, and 2.1 without quoted-printable) for contact imports: folded
 * lines, grouped properties (`item1.TEL`), parameters (`TYPE=cell`, `TYPE="work,voice"`), escaped text
 * (\n \, \; \\), `tel:` URI values. Only what a contact keeps is read: FN (else N), ORG, TEL, EMAIL, NOTE.
 */

export interface VCardPhone {
  number: string;
  /** The TYPE values, lower case (`cell`, `work`, `voice`, `pref`, ...). */
  types: string[];
}

export interface VCard {
  /** 1-based line of the card's BEGIN, for error messages. */
  line: number;
  name: string;
  company: string;
  phones: VCardPhone[];
  emails: string[];
  note: string;
}

function unescapeText(value: string): string {
  return value.replace(/\\([nN,;\\])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** Splits on `sep` where it is not escaped with a backslash. */
function splitUnescaped(value: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && i + 1 < value.length) {
      current += c + value[i + 1];
      i++;
    } else if (c === sep) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

interface Property {
  name: string;
  params: Map<string, string[]>;
  value: string;
}

function parseLine(line: string): Property | undefined {
  // The value starts at the first colon outside a quoted parameter value.
  let quoted = false;
  let colon = -1;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ':' && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon < 0) return undefined;
  const [head = '', ...rawParams] = line.slice(0, colon).split(';');
  const name = (head.includes('.') ? head.slice(head.lastIndexOf('.') + 1) : head).toUpperCase();
  const params = new Map<string, string[]>();
  for (const raw of rawParams) {
    const eq = raw.indexOf('=');
    // vCard 2.1 writes bare types: TEL;CELL;WORK:...
    const key = (eq < 0 ? 'TYPE' : raw.slice(0, eq)).toUpperCase();
    const values = (eq < 0 ? raw : raw.slice(eq + 1))
      .replace(/"/g, '')
      .split(',')
      .map((v) => v.trim().toLowerCase())
      .filter(Boolean);
    params.set(key, [...(params.get(key) ?? []), ...values]);
  }
  return { name, params, value: line.slice(colon + 1) };
}

export function parseVCards(text: string): VCard[] {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  // Unfold: a line break followed by a space or tab continues the line before.
  const physical = input.split(/\r\n|\n|\r/);
  const lines: { text: string; line: number }[] = [];
  physical.forEach((text, i) => {
    const last = lines[lines.length - 1];
    if (last && /^[ \t]/.test(text)) last.text += text.slice(1);
    else lines.push({ text, line: i + 1 });
  });
  const cards: VCard[] = [];
  let card: (VCard & { structured: string }) | undefined;
  for (const { text, line } of lines) {
    const prop = parseLine(text.trim());
    if (!prop) continue;
    if (prop.name === 'BEGIN' && prop.value.toUpperCase() === 'VCARD') {
      card = { line, name: '', company: '', phones: [], emails: [], note: '', structured: '' };
      continue;
    }
    if (!card) continue;
    switch (prop.name) {
      case 'END': {
        const { structured, ...done } = card;
        if (!done.name) done.name = structured;
        cards.push(done);
        card = undefined;
        break;
      }
      case 'FN':
        card.name = unescapeText(prop.value).trim();
        break;
      case 'N': {
        // Family;Given;Additional;Prefixes;Suffixes
        const [family = '', given = '', additional = '', prefix = '', suffix = ''] = splitUnescaped(
          prop.value,
          ';',
        ).map((p) => unescapeText(p).trim());
        card.structured = [prefix, given, additional, family, suffix].filter(Boolean).join(' ');
        break;
      }
      case 'ORG':
        card.company = unescapeText(splitUnescaped(prop.value, ';')[0] ?? '').trim();
        break;
      case 'TEL': {
        const number = prop.value.replace(/^tel:/i, '').trim();
        const types = [...(prop.params.get('TYPE') ?? []), ...(prop.params.has('PREF') ? ['pref'] : [])];
        if (number) card.phones.push({ number, types });
        break;
      }
      case 'EMAIL':
        if (prop.value.trim()) card.emails.push(unescapeText(prop.value).trim());
        break;
      case 'NOTE':
        card.note = unescapeText(prop.value).trim();
        break;
    }
  }
  return cards;
}

const LABELS: [type: string, label: string][] = [
  ['cell', 'Mobile'],
  ['fax', 'Fax'],
  ['pager', 'Pager'],
  ['work', 'Work'],
  ['home', 'Home'],
];

/** A phone's label from its types: `cell` is Mobile, then Fax, Pager, Work, Home; none for plain voice. */
export function phoneLabel(types: readonly string[]): string | null {
  return LABELS.find(([t]) => types.includes(t))?.[1] ?? null;
}

/** The preferred phone first (TYPE=pref, or PREF=1 in vCard 4), the others in file order. */
export function orderedPhones(phones: readonly VCardPhone[]): VCardPhone[] {
  const pref = phones.findIndex((p) => p.types.includes('pref'));
  if (pref <= 0) return [...phones];
  return [phones[pref] as VCardPhone, ...phones.filter((_p, i) => i !== pref)];
}
