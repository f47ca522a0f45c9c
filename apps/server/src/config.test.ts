import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', pollIntervalMs: 1000, logLevel: 'info' });
    expect(c.simulatedPhones).toBeUndefined();
    expect(c.dataDir.endsWith('data')).toBe(true);
  });

  it('parses values and treats empty ones as unset', () => {
    const c = loadConfig({
      PORT: '0',
      SIMULATED_PHONES: '0',
      POLL_INTERVAL_MS: '250',
      HOST: '',
      LOG_LEVEL: 'debug',
    });
    expect(c).toMatchObject({
      port: 0,
      simulatedPhones: 0,
      pollIntervalMs: 250,
      host: '127.0.0.1',
      logLevel: 'debug',
    });
  });

  it('takes DEFAULT_COUNTRY as a country code in any case, and refuses others', () => {
    expect(loadConfig({ DEFAULT_COUNTRY: 'de' }).defaultCountry).toBe('DE');
    expect(loadConfig({}).defaultCountry).toBeUndefined();
    expect(() => loadConfig({ DEFAULT_COUNTRY: 'Germany' })).toThrow(
      /DEFAULT_COUNTRY \(got "Germany"\): must be a two-letter/,
    );
  });

  it('fails with one readable line per bad value, never echoing secrets', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', SIMULATED_PHONES: '-1', ADMIN_PASSWORD: 'short' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT (got "eighty"): must be a whole number from 0 to 65535');
    expect(message).toContain('LOG_LEVEL (got "loud")');
    expect(message).toContain('SIMULATED_PHONES');
    expect(message).toContain('ADMIN_PASSWORD: must be at least 10 characters');
    expect(message).not.toContain('short');
  });

  it('takes a postgres:// DATABASE_URL, and refuses anything else without echoing it (it holds a password)', () => {
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    const url = 'postgres://linedeck:s3cret-pw@db.lan:5432/linedeck';
    expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root:s3cret-pw@db' })).toThrow(ConfigError);
    try {
      loadConfig({ DATABASE_URL: 'mysql://root:s3cret-pw@db' });
    } catch (err) {
      expect((err as Error).message).toContain('DATABASE_URL: must be a postgres://');
      expect((err as Error).message).not.toContain('s3cret-pw');
    }
  });
});
