import { type RefObject, useEffect } from 'react';
import { isShortcutPress } from '../../components/ui/keyboard.ts';
import { CAMPAIGN_KEYS } from './campaign-shortcuts.ts';

/** C, S, P and B press the campaign panel's Call, Skip, Pause/Resume and Call back buttons when shown. */
export function useCampaignKeys(panel: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      if (event.shiftKey || !isShortcutPress(event)) return;
      const name = CAMPAIGN_KEYS[event.key.toLowerCase()];
      const button = name
        ? panel.current?.querySelector<HTMLButtonElement>(`button[data-campaign-key="${name}"]`)
        : null;
      if (!button) return;
      event.preventDefault();
      button.click();
    };
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, [panel]);
}
