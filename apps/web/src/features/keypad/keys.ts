/** The phone's keys with the plain names people see, and the api-send_key name each one sends. */
export interface KeyDef {
  label: string;
  key: string;
}

export const DIAL_PAD: readonly (KeyDef & { letters?: string })[] = [
  { label: '1', key: '1' },
  { label: '2', key: '2', letters: 'ABC' },
  { label: '3', key: '3', letters: 'DEF' },
  { label: '4', key: '4', letters: 'GHI' },
  { label: '5', key: '5', letters: 'JKL' },
  { label: '6', key: '6', letters: 'MNO' },
  { label: '7', key: '7', letters: 'PQRS' },
  { label: '8', key: '8', letters: 'TUV' },
  { label: '9', key: '9', letters: 'WXYZ' },
  { label: '*', key: '*' },
  { label: '0', key: '0', letters: '+' },
  { label: '#', key: '#' },
];

export const CALL_KEYS: readonly KeyDef[] = [
  { label: 'Speaker', key: 'SPEAKER' },
  { label: 'Headset', key: 'HEADSET' },
  { label: 'Mute', key: 'MUTE' },
  { label: 'Volume down', key: 'VDOWN' },
  { label: 'Volume up', key: 'VUP' },
  { label: 'DND', key: 'DND' },
  { label: 'Transfer', key: 'XFER' },
  { label: 'Conference', key: 'CONF' },
  { label: 'Voicemail', key: 'VM' },
  { label: 'Send', key: 'SEND' },
];

export const NAV_KEYS: readonly KeyDef[] = [
  { label: 'Up', key: 'UP' },
  { label: 'Left', key: 'LEFT' },
  { label: 'OK', key: 'OK' },
  { label: 'Right', key: 'RIGHT' },
  { label: 'Down', key: 'DOWN' },
];

export const LOCK_KEYS: readonly KeyDef[] = [
  { label: 'Lock', key: 'LOCK' },
  { label: 'Unlock', key: 'UNLOCK' },
];

/** LINE1..n, SOFT1..4, MPK1..48: `Line 1` sends `LINE1`. */
export function numberedKeys(family: 'LINE' | 'SOFT' | 'MPK', label: string, count: number): KeyDef[] {
  return Array.from({ length: count }, (_, i) => ({ label: `${label} ${i + 1}`, key: `${family}${i + 1}` }));
}
