/** METRICS_TOKEN, METRICS_PORT and LOG_FORMAT from the environment: off by default, bad values fail boot. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';

describe('metrics and log settings', () => {
  it('are off / automatic when unset', () => {
    const c = loadConfig({});
    expect([c.metricsToken, c.metricsPort, c.logFormat]).toEqual([undefined, undefined, undefined]);
  });

  it('read a token, a port and a format', () => {
    const c = loadConfig({
      METRICS_TOKEN: 'a-long-enough-token',
      METRICS_PORT: '9464',
      LOG_FORMAT: 'pretty',
    });
    expect([c.metricsToken, c.metricsPort, c.logFormat]).toEqual(['a-long-enough-token', 9464, 'pretty']);
  });

  it('refuse a short token without echoing it, and a bad port or format', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short-secret' })).toThrow(ConfigError);
    try {
      loadConfig({ METRICS_TOKEN: 'short-secret', METRICS_PORT: '0', LOG_FORMAT: 'fancy' });
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toContain('METRICS_TOKEN: must be at least 16 characters');
      expect(message).not.toContain('short-secret');
      expect(message).toContain('METRICS_PORT (got "0")');
      expect(message).toContain('LOG_FORMAT (got "fancy"): must be one of json, pretty');
      return;
    }
    throw new Error('loadConfig accepted bad values');
  });
});
