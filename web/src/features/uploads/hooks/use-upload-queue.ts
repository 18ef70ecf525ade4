import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { postToStorage } from '../api/post-to-storage';
import { requestUploadSlot } from '../api/uploads';

export type QueuedUpload =
  | { key: string; fileName: string; phase: 'slot' }
  | { key: string; fileName: string; phase: 'sending'; uploadId: string; sent: number; total: number }
  | { key: string; fileName: string; phase: 'sent'; uploadId: string }
  | { key: string; fileName: string; phase: 'refused'; message: string };

let serial = 0;

/**
 * The files an admin dropped in this visit, each on its way: a slot from the API, the bytes to S3 with
 * progress, then the upload record takes over (ingest and verification progress come from it).
 */
export const useUploadQueue = () => {
  const queryClient = useQueryClient();
  const [items, setItems] = useState<QueuedUpload[]>([]);

  const update = useCallback(
    (key: string, next: QueuedUpload) =>
      setItems((current) => current.map((item) => (item.key === key ? next : item))),
    [],
  );

  const send = useCallback(
    async (file: File) => {
      serial += 1;
      const key = `${serial}-${file.name}`;
      const fileName = file.name;
      setItems((current) => [{ key, fileName, phase: 'slot' }, ...current]);
      try {
        const slot = await requestUploadSlot(file);
        update(key, { key, fileName, phase: 'sending', uploadId: slot.uploadId, sent: 0, total: file.size });
        await postToStorage(slot, file, (sent, total) =>
          update(key, { key, fileName, phase: 'sending', uploadId: slot.uploadId, sent, total }),
        );
        update(key, { key, fileName, phase: 'sent', uploadId: slot.uploadId });
        await queryClient.invalidateQueries({ queryKey: ['uploads', 'page'] });
      } catch (error) {
        update(key, {
          key,
          fileName,
          phase: 'refused',
          message: error instanceof Error ? error.message : String(error),
        });
      }
    },
    [queryClient, update],
  );

  const add = useCallback(
    (files: Iterable<File>) => {
      for (const file of files) void send(file);
    },
    [send],
  );

  return { items, add };
};
