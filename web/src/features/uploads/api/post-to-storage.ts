import type { UploadSlot } from './uploads';

/** S3 explains a refused POST in an XML body (`<Error><Message>`); a network or CORS failure has none. */
const storageMessage = (status: number, body: string): string => {
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  return `Storage refused the file (HTTP ${status})${message ? `: ${message}` : ''}`;
};

/**
 * Sends the file straight to S3 with the slot's presigned POST: every field first, the file last. XHR rather
 * than fetch because only XHR reports upload progress byte by byte.
 */
export const postToStorage = (
  slot: UploadSlot,
  file: File,
  onProgress: (sentBytes: number, totalBytes: number) => void,
): Promise<void> =>
  new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(slot.upload.fields)) form.append(name, value);
    form.append('file', file);
    const request = new XMLHttpRequest();
    request.open('POST', slot.upload.url);
    request.upload.addEventListener('progress', (event) =>
      onProgress(event.loaded, event.lengthComputable ? event.total : file.size),
    );
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) resolve();
      else reject(new Error(storageMessage(request.status, request.responseText)));
    });
    request.addEventListener('error', () =>
      reject(new Error('The file could not be sent to storage (the connection failed or was refused)')),
    );
    request.send(form);
  });
