import { describe, expect, it } from 'vitest';
import { cleanCell, guessMapping, mapRows, readCsv, vcardRows } from './import-mapping.ts';

describe('readCsv', () => {
  it('tells comma, semicolon and tab files apart, with quotes and a BOM', () => {
    expect(readCsv('\uFEFFName,Phone\n"Doe, Jane",030 1\n')).toMatchObject({
      format: 'CSV (comma)',
      header: ['Name', 'Phone'],
      rows: [{ row: 2, cells: ['Doe, Jane', '030 1'] }],
    });
    expect(readCsv('Name;Telefon\n"Müller; Jürgen";030 2\n\n').format).toBe('CSV (semicolon)');
    expect(readCsv('Name;Telefon\n"Müller; Jürgen";030 2\n').rows[0]?.cells).toEqual([
      'Müller; Jürgen',
      '030 2',
    ]);
    expect(readCsv('Name\tPhone\nA\t1\n')).toMatchObject({
      format: 'CSV (tab)',
      rows: [{ cells: ['A', '1'] }],
    });
  });
});

describe('guessMapping and mapRows', () => {
  it('guesses the usual export headers and maps rows, other columns kept in the note or ignored', () => {
    const table = readCsv(
      [
        'First Name,Last Name,Company,E-mail Address,Business Phone,Mobile Phone,Notes,Job Title,Birthday',
        'Ada,Lovelace,Engines,ada@example.com,030 1234567,0170 1234567,Met in Berlin,Countess,1815-12-10',
      ].join('\n'),
    );
    const mapping = guessMapping(table.header);
    expect(mapping).toEqual([
      'first',
      'last',
      'company',
      'email',
      'number',
      'number',
      'note',
      'ignore',
      'ignore',
    ]);
    mapping[7] = 'keep';
    expect(mapRows(table, mapping)).toEqual([
      {
        row: 2,
        name: 'Ada Lovelace',
        number: '030 1234567',
        company: 'Engines',
        email: 'ada@example.com',
        notes: 'Met in Berlin\nJob Title: Countess',
        otherNumbers: [{ label: 'Mobile Phone', number: '0170 1234567' }],
      },
    ]);
  });

  it("reads LineDeck's own export back: the ' of formula safety off, other numbers with labels", () => {
    const table = readCsv(
      "\uFEFFname,company,number,email,notes,other numbers\r\nAda,,'+49 30 1234567,,'@home,Mobile: '+49 170 1; Home: 030 2\r\n",
    );
    expect(mapRows(table, guessMapping(table.header))).toEqual([
      {
        row: 2,
        name: 'Ada',
        number: '+49 30 1234567',
        notes: '@home',
        otherNumbers: [
          { label: 'Mobile', number: '+49 170 1' },
          { label: 'Home', number: '030 2' },
        ],
      },
    ]);
    expect(cleanCell("'=1+1")).toBe('=1+1');
    expect(cleanCell("'Tom's")).toBe("'Tom's");
  });
});

describe('vcardRows', () => {
  it('reads vCard 3 and 4: folded lines, groups, TEL types, the preferred number first, escapes', () => {
    const text = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'N:Müller;Jürgen;;Dr.;',
      'ORG:Bäckerei\\, Süd;Filiale',
      'TEL;TYPE=WORK,VOICE:+49 30 1234567',
      'item1.TEL;TYPE=CELL;TYPE=pref:0170 12',
      ' 34567',
      'EMAIL;TYPE=INTERNET:j@example.com',
      'NOTE:first line\\nsecond',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'FN:Grace Hopper',
      'TEL;VALUE=uri;TYPE="voice,home":tel:+1-202-555-0100',
      'TEL;VALUE=uri;PREF=1;TYPE=work:tel:+1-202-555-0101;ext=7',
      'END:VCARD',
    ].join('\r\n');
    expect(vcardRows(text)).toEqual([
      {
        row: 1,
        name: 'Dr. Jürgen Müller',
        number: '0170 1234567',
        company: 'Bäckerei, Süd',
        email: 'j@example.com',
        notes: 'first line\nsecond',
        otherNumbers: [{ label: 'Work', number: '+49 30 1234567' }],
      },
      {
        row: 11,
        name: 'Grace Hopper',
        number: '+1-202-555-0101;ext=7',
        otherNumbers: [{ label: 'Home', number: '+1-202-555-0100' }],
      },
    ]);
  });
});
