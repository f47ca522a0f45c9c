import { describe, expect, it } from 'vitest';
import { checkFirmware, compareFirmware, findModel, MODELS } from './models.ts';

describe('models', () => {
  it('covers every model of the guide', () => {
    expect(MODELS.map((m) => m.model)).toEqual([
      'GRP2601',
      'GRP2602',
      'GRP2603',
      'GRP2604',
      'GRP2612',
      'GRP2613',
      'GRP2614',
      'GRP2615',
      'GRP2616',
      'GRP2624',
      'GRP2634',
      'GRP2636',
      'GRP2650',
      'GRP2670',
    ]);
  });

  it('finds variants case-insensitively', () => {
    expect(findModel('grp2612w')?.model).toBe('GRP2612');
    expect(findModel(' GRP2602G ')?.model).toBe('GRP2602');
    expect(findModel('GRP2612X')).toBeUndefined();
  });

  it('compares versions numerically, not as text', () => {
    expect(compareFirmware('1.0.10', '1.0.9.22')).toBe(1);
    expect(compareFirmware('1.0.9.22', '1.0.9.22.0')).toBe(0);
    expect(compareFirmware('1.0.9.3', '1.0.9.22')).toBe(-1);
  });

  it.each([
    ['GRP2614', '1.0.9.22', true],
    ['GRP2614', '1.0.10', true],
    ['GRP2614', '1.0.9.21', false],
    ['GRP2601W', '1.0.3.18', true],
    ['GRP2601P', '1.0.3.9', false],
    ['GRP2612P', '1.0.11.5', true],
    ['GRP2614', 'beta', false],
  ])('checkFirmware(%s, %s) supported=%s', (model, version, supported) => {
    expect(checkFirmware(model, version).supported).toBe(supported);
  });

  it('says why when unsupported', () => {
    expect(checkFirmware('GXP2170', '1.0.9.22')).toMatchObject({ supported: false, reason: 'unknown_model' });
    const old = checkFirmware('grp2670', '1.0.9.1');
    expect(old).toMatchObject({ supported: false, reason: 'firmware_too_old' });
    expect(old.supported === false && old.message).toContain('1.0.9.22');
  });
});
