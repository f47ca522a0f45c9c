/**
 * GRP26xx models that support CTI, from the guide's "Supported devices" table.
 * `lines` is the number of line keys the model has (its datasheet), which is
 * the length of api-get_line_status; never hard-code 3 or 8 (field notes).
 * `accounts` is the number of SIP accounts the model holds.
 */
export interface ModelInfo {
  model: string;
  /** Variants that share the model's firmware (W = Wi-Fi, P = PoE, G = gigabit). */
  variants: readonly string[];
  minFirmware: string;
  lines: number;
  accounts: number;
}

export const MODELS: readonly ModelInfo[] = [
  { model: 'GRP2601', variants: ['GRP2601P', 'GRP2601W'], minFirmware: '1.0.3.18', lines: 2, accounts: 2 },
  {
    model: 'GRP2602',
    variants: ['GRP2602P', 'GRP2602W', 'GRP2602G'],
    minFirmware: '1.0.3.18',
    lines: 4,
    accounts: 2,
  },
  { model: 'GRP2603', variants: ['GRP2603P'], minFirmware: '1.0.3.18', lines: 6, accounts: 3 },
  { model: 'GRP2604', variants: ['GRP2604P'], minFirmware: '1.0.3.18', lines: 6, accounts: 3 },
  { model: 'GRP2612', variants: ['GRP2612W', 'GRP2612P'], minFirmware: '1.0.9.22', lines: 4, accounts: 2 },
  { model: 'GRP2613', variants: [], minFirmware: '1.0.9.22', lines: 6, accounts: 3 },
  { model: 'GRP2614', variants: [], minFirmware: '1.0.9.22', lines: 8, accounts: 4 },
  { model: 'GRP2615', variants: [], minFirmware: '1.0.9.22', lines: 10, accounts: 5 },
  { model: 'GRP2616', variants: [], minFirmware: '1.0.9.22', lines: 12, accounts: 6 },
  { model: 'GRP2624', variants: [], minFirmware: '1.0.9.22', lines: 8, accounts: 4 },
  { model: 'GRP2634', variants: [], minFirmware: '1.0.9.22', lines: 8, accounts: 4 },
  { model: 'GRP2636', variants: [], minFirmware: '1.0.9.22', lines: 10, accounts: 5 },
  { model: 'GRP2650', variants: [], minFirmware: '1.0.9.22', lines: 14, accounts: 6 },
  { model: 'GRP2670', variants: [], minFirmware: '1.0.9.22', lines: 16, accounts: 12 },
];

export const MODEL_NAMES = MODELS.map((m) => m.model);

/** Finds a model by its name or a variant's name (`grp2612w` finds GRP2612), case-insensitively. */
export function findModel(name: string): ModelInfo | undefined {
  const upper = name.trim().toUpperCase();
  return MODELS.find((m) => m.model === upper || m.variants.includes(upper));
}

/** Compares dotted firmware versions numerically: `1.0.10.1` is newer than `1.0.9.22`. */
export function compareFirmware(a: string, b: string): number {
  const pa = a.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

export type FirmwareCheck =
  | { supported: true; model: ModelInfo }
  | { supported: false; reason: 'unknown_model' | 'firmware_too_old'; model?: ModelInfo; message: string };

/** Says whether a phone of `model` running `version` supports CTI, with a sentence of advice when not. */
export function checkFirmware(model: string, version: string): FirmwareCheck {
  const info = findModel(model);
  if (!info) {
    return {
      supported: false,
      reason: 'unknown_model',
      message: `${model} is not a GRP26xx model that supports CTI (supported: ${MODEL_NAMES.join(', ')}).`,
    };
  }
  if (!/^\d+(\.\d+)*$/.test(version.trim()) || compareFirmware(version.trim(), info.minFirmware) < 0) {
    return {
      supported: false,
      reason: 'firmware_too_old',
      model: info,
      message: `${info.model} needs firmware ${info.minFirmware} or newer for CTI; it runs ${version}. Upgrade the phone's firmware.`,
    };
  }
  return { supported: true, model: info };
}
