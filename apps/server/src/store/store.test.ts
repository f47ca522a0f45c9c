import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSecretBox, loadKey } from './crypto.ts';
import { migrate, openDatabase } from './db.ts';
import { migrations } from './migrations.ts';
import { createPhonesRepo } from './phones-repo.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('secret box', () => {
  it('round-trips, uses a fresh IV, and refuses tampering or another row', () => {
    const box = createSecretBox(loadKey({ secret: 'a-long-enough-secret', dataDir: tempDir() }));
    const a = box.seal('admin123', 'phone-1');
    expect(a).not.toContain('admin123');
    expect(box.seal('admin123', 'phone-1')).not.toBe(a);
    expect(box.open(a, 'phone-1')).toBe('admin123');
    expect(() => box.open(a, 'phone-2')).toThrow();
    const tampered = `${a.slice(0, -4)}AAAA`;
    expect(() => box.open(tampered, 'phone-1')).toThrow();
  });

  it('creates DATA_DIR/secret.key with mode 0600 and reuses it', () => {
    const dir = tempDir();
    const k1 = loadKey({ dataDir: dir });
    const file = path.join(dir, 'secret.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadKey({ dataDir: dir }).equals(k1)).toBe(true);
  });

  it('derives the key from LINEDECK_SECRET when set', () => {
    const k1 = loadKey({ secret: 'one-secret-long-enough', dataDir: tempDir() });
    const k2 = loadKey({ secret: 'one-secret-long-enough', dataDir: tempDir() });
    expect(k1.equals(k2)).toBe(true);
  });
});

describe('migrations', () => {
  it('runs in order, records user_version, and is idempotent', () => {
    const db = openDatabase({ dataDir: tempDir() });
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(migrate(db, migrations)).toBe(migrations.length);
    db.close();
  });

  it('applies only the new ones when a migration is appended', () => {
    const dir = tempDir();
    openDatabase({ dataDir: dir }).close();
    const extra = [
      ...migrations,
      {
        version: migrations.length + 1,
        name: 'extra',
        up: (d: import('better-sqlite3').Database) => d.exec('CREATE TABLE extra (x)'),
      },
    ];
    const db = openDatabase({ dataDir: dir, migrations: extra });
    expect(db.pragma('user_version', { simple: true })).toBe(extra.length);
    db.close();
  });

  it('refuses a misnumbered list and a database newer than the build', () => {
    const db = openDatabase({ dataDir: tempDir() });
    expect(() => migrate(db, [{ version: 2, name: 'x', up: () => {} }])).toThrow(/expected 1/);
    db.pragma('user_version = 99');
    expect(() => migrate(db, migrations)).toThrow(/newer/);
    db.close();
  });
});

describe('phones repo', () => {
  it('stores the passcode sealed and returns it only through getPasscode', () => {
    const dir = tempDir();
    const db = openDatabase({ dataDir: dir });
    const repo = createPhonesRepo(db, createSecretBox(loadKey({ dataDir: dir })));
    const phone = repo.create({ name: 'Desk', host: '10.0.0.5', passcode: 'sup3r-secret', model: 'GRP2614' });
    expect(JSON.stringify(repo.list())).not.toContain('sup3r-secret');
    // No field holds it or its sealed form (`auth: "passcode"` names the scheme, not the secret).
    expect(Object.keys(repo.get(phone.id) ?? {})).not.toContain('passcode');
    expect(JSON.stringify(repo.get(phone.id))).not.toMatch(/sup3r-secret|v1:/);
    const raw = db.prepare('SELECT passcode_enc FROM phones').get() as { passcode_enc: string };
    expect(raw.passcode_enc).not.toContain('sup3r-secret');
    expect(repo.getPasscode(phone.id)).toBe('sup3r-secret');

    repo.update(phone.id, { passcode: 'new-one', name: 'Desk 2' });
    expect(repo.getPasscode(phone.id)).toBe('new-one');
    expect(repo.get(phone.id)?.name).toBe('Desk 2');
    expect(() => repo.create({ name: 'Desk 2', host: 'x', passcode: 'y' })).toThrow(/already exists/);

    repo.create({ name: 'Sim', host: 'x', passcode: 'y', simulated: true });
    expect(repo.removeSimulated()).toBe(1);
    expect(repo.remove(phone.id)).toBe(true);
    expect(repo.count()).toBe(0);
    db.close();
  });
});
