/**
 * The guide's scheme: `passcode=` on every `api-*` request, no state. A 401/403 is a refused passcode
 * (or the Allowed IP List), never an expired session, so nothing is ever sent again by this strategy.
 */
import type { Authorization, AuthStrategy } from './strategy.ts';

export function passcodeStrategy(passcode: string): AuthStrategy {
  const authorization = (): Authorization => ({ params: { passcode }, headers: {}, sentSid: false });
  return {
    scheme: 'passcode',
    run: (exchange) => exchange(authorization()),
    authorize: async () => authorization(),
    sessionEnded: () => {},
    info: () => ({ firmware: null, mac: null }),
    secrets: () => [passcode],
    close: async () => {},
  };
}
