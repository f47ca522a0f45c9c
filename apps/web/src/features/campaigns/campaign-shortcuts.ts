/**
 * The campaign panel's keys on the console (no imports: app/ lists them in the shortcut help without
 * loading the panel). They press the panel's buttons, so they do what a click does and nothing when
 * the button is not offered.
 */
export const CAMPAIGN_SHORTCUTS = [
  { key: 'C', description: 'Campaign: call the entry shown (preview)' },
  { key: 'S', description: 'Campaign: skip the entry shown' },
  { key: 'P', description: 'Campaign: pause or resume' },
  { key: 'B', description: 'Campaign: call back at… (the last entry)' },
] as const;

/** Key (lower case) to the panel button's `data-campaign-key`. */
export const CAMPAIGN_KEYS: Readonly<Record<string, string>> = {
  c: 'call',
  s: 'skip',
  p: 'pause',
  b: 'callback',
};
