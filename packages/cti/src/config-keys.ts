/**
 * Every config key (P-value or alias) LineDeck reads or writes through the config API, in one table
 * with its source, so nothing is guessed silently (field notes, "Config API"). A feature whose keys are
 * not known for a family is "not available" there, never written blind. The simulator serves the same
 * table, so tests and the demo use exactly these keys.
 */
export interface ConfigKey {
  /** As sent in `pvalues=` and `config_update`'s `pvalue` (or `alias`) object. */
  key: string;
  meaning: string;
  /** Where the key and its values come from. */
  source: string;
}

export const CONFIG_KEYS = {
  clickToDial: {
    key: 'P1561',
    meaning: 'Click-To-Dial feature: "1" on, "0" off',
    source: 'cti-field-notes.md, "Config API" (Phone Settings → Call Settings → Click-To-Dial Feature)',
  },
  dnd: {
    key: ':dnd',
    meaning: 'runtime Do Not Disturb flag: "1" on, "0" off',
    source: 'cti-field-notes.md, "Config API" (seen on WP8xx, unverified on GRP)',
  },
} as const satisfies Record<string, ConfigKey>;

/**
 * Call forward keys per firmware family. Empty until a family's P-values are known from a citable
 * source: forward is then "not available" on it (field notes: not documented publicly for GRP26xx).
 */
export const FORWARD_KEYS: Readonly<
  Record<string, { mode: ConfigKey; always: ConfigKey; busy: ConfigKey; noAnswer: ConfigKey }>
> = {};
