/**
 * How to switch CTI on at a GRP26xx, from the vendor's CTI guide ("Enabling CTI feature",
 * "Supported devices"; shared/docs/grp26xx-cti-guide.md). The one copy of the menu paths in the
 * web app: the setup guide page shows all of it, a failed "Test connection" check the part it needs.
 * docs/phone-setup.md says the same for people reading the repository.
 */

export interface PhoneFamily {
  id: string;
  name: string;
  models: string;
  /** Where the Remote Control page is in the phone's web interface. */
  remoteControlPath: string;
  minFirmware: string;
  note?: string;
}

export const PHONE_FAMILIES: readonly PhoneFamily[] = [
  {
    id: 'grp260x',
    name: 'GRP260x',
    models: 'GRP2601/P/W, GRP2602/P/W/G, GRP2603/P, GRP2604/P',
    remoteControlPath: 'Network Settings → Advanced Settings → Remote Control',
    minFirmware: '1.0.3.18',
  },
  {
    id: 'grp261x',
    name: 'GRP261x, GRP2624, GRP2634',
    models: 'GRP2612/W/P, GRP2613, GRP2614, GRP2615, GRP2616, GRP2624, GRP2634',
    remoteControlPath: 'Network → Remote Control',
    minFirmware: '1.0.9.22',
  },
  {
    id: 'grp2636',
    name: 'GRP2636, GRP2650, GRP2670',
    models: 'GRP2636, GRP2650, GRP2670',
    remoteControlPath: 'Network → Remote Control',
    minFirmware: '1.0.9.22',
    note: 'The vendor guide names the path for GRP261x/GRP2624/GRP2634 only; these models use the same Network → Remote Control page.',
  },
];

/** The steps of the vendor guide, for one family's Remote Control path. */
export function ctiSteps(family: PhoneFamily): string[] {
  return [
    "Open the phone's web interface (its IP address in a browser) and sign in as administrator.",
    `Go to ${family.remoteControlPath}.`,
    'Action URI Support: check "Enabled".',
    `Action URI Allowed IP List: enter the LineDeck server's IP address (or "any" if it is not fixed).`,
    'Remote Control Pop up Window Support: set to "Disabled", so commands run without a confirmation on the handset.',
    'Press Save and Apply.',
  ];
}

export const CLICK_TO_DIAL_PATH = 'Phone Settings → Call Settings → Click-To-Dial Feature';
export const CLICK_TO_DIAL_STEP = `Enable ${CLICK_TO_DIAL_PATH} (named for GRP260x in the guide), or calls placed from LineDeck fail with "Invalid Request".`;

export const REMOTE_CONTROL_PATHS = PHONE_FAMILIES.map((f) => `${f.remoteControlPath} (${f.name})`).join(
  '; ',
);

/** Diagnosis check id -> where to look on the phone, for a check that failed or was not run. */
export function setupHint(checkId: string): string | undefined {
  switch (checkId) {
    case 'cti_enabled':
      return `On the phone: ${REMOTE_CONTROL_PATHS}. Enable Action URI Support and add this server's IP address (or "any") to Action URI Allowed IP List, then Save and Apply.`;
    case 'reachable':
      return `If the phone is on the network but slow to answer: ${REMOTE_CONTROL_PATHS} → set Remote Control Pop up Window Support to "Disabled".`;
    case 'passcode':
      return "Use the phone's admin password (the one of its web interface); a user password works for everything but Reset.";
    case 'click_to_dial':
      return CLICK_TO_DIAL_STEP;
    case 'model':
      return 'Check Status → System Info on the phone for the model and firmware version.';
    default:
      return undefined;
  }
}
