import { useId, useState } from 'react';
import { ErrorMessage } from '@/components/states';
import { useUploadAction } from '../api/uploads';

/**
 * What an admin can do with an upload in its state: pause or resume a queued one (distribution skips it
 * meanwhile, and meets it in its original place again), withdraw it from the supply (optionally forgetting its
 * undelivered leads so the same people can be uploaded again), or release one stuck in verification.
 */
export const UploadActions = ({
  upload,
}: {
  upload: { uploadId: string; state: string; fileName: string };
}) => {
  const action = useUploadAction(upload.uploadId);
  const [releaseHashes, setReleaseHashes] = useState(false);
  const checkboxId = useId();
  const { state } = upload;
  const canWithdraw = state === 'queued' || state === 'paused';
  if (!canWithdraw && state !== 'verifying') return null;
  return (
    <div className="form-actions">
      {state === 'queued' && (
        <button
          type="button"
          className="button"
          disabled={action.isPending}
          onClick={() => action.mutate({ action: 'pause' })}
        >
          Pause
        </button>
      )}
      {state === 'paused' && (
        <button
          type="button"
          className="button"
          disabled={action.isPending}
          onClick={() => action.mutate({ action: 'resume' })}
        >
          Resume
        </button>
      )}
      {canWithdraw && (
        <>
          <button
            type="button"
            className="button"
            disabled={action.isPending}
            onClick={() => {
              if (
                window.confirm(
                  `Withdraw ${upload.fileName}? Its leads nobody received leave the supply for good; delivered ones stay delivered.`,
                )
              )
                action.mutate({ action: 'withdraw', releaseHashes });
            }}
          >
            Withdraw
          </button>
          <label htmlFor={checkboxId}>
            <input
              id={checkboxId}
              type="checkbox"
              checked={releaseHashes}
              onChange={(event) => setReleaseHashes(event.target.checked)}
            />{' '}
            and let the same people be uploaded again
          </label>
        </>
      )}
      {state === 'verifying' && (
        <button
          type="button"
          className="button"
          disabled={action.isPending}
          title="Leads still waiting for the verifier are rejected as unverified; the rest are queued"
          onClick={() => action.mutate({ action: 'release' })}
        >
          Release from verification
        </button>
      )}
      {action.isError && <ErrorMessage error={action.error} />}
    </div>
  );
};
