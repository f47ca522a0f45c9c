import type { Campaign } from '@linedeck/contract';
import { useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { type CampaignVerb, useCampaignControl } from './campaigns-queries.ts';

/** Start, Pause, Resume and Stop as the campaign's state allows; Stop (final) asks first. */
export function CampaignControls({ campaign, size = 'md' }: { campaign: Campaign; size?: 'sm' | 'md' }) {
  const control = useCampaignControl();
  const [confirmStop, setConfirmStop] = useState(false);
  const run = (verb: CampaignVerb) => control.mutate({ id: campaign.id, verb, name: campaign.name });
  const pendingVerb = control.isPending ? control.variables?.verb : undefined;
  const { state } = campaign;
  if (state === 'finished') return null;
  return (
    <div className="flex flex-wrap gap-2">
      {state === 'draft' && (
        <Button
          size={size}
          variant="success"
          pending={pendingVerb === 'start'}
          blocked={control.isPending}
          onClick={() => run('start')}
        >
          Start
        </Button>
      )}
      {state === 'running' && (
        <Button
          size={size}
          variant="primary"
          pending={pendingVerb === 'pause'}
          blocked={control.isPending}
          onClick={() => run('pause')}
        >
          Pause
        </Button>
      )}
      {state === 'paused' && (
        <Button
          size={size}
          variant="success"
          pending={pendingVerb === 'resume'}
          blocked={control.isPending}
          onClick={() => run('resume')}
        >
          Resume
        </Button>
      )}
      <Button
        size={size}
        variant="ghost"
        pending={pendingVerb === 'stop'}
        blocked={control.isPending}
        onClick={() => setConfirmStop(true)}
      >
        Stop
      </Button>
      <Dialog
        open={confirmStop}
        onClose={() => setConfirmStop(false)}
        title={`Stop ${campaign.name}?`}
        description="A stopped campaign is finished: it dials nothing more and cannot be started again. Its results stay."
      >
        <div className="flex justify-end gap-2">
          <Button onClick={() => setConfirmStop(false)}>Keep it</Button>
          <Button
            variant="danger"
            onClick={() => {
              setConfirmStop(false);
              run('stop');
            }}
          >
            Stop campaign
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
