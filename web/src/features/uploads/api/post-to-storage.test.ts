// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { postToStorage } from './post-to-storage';
import type { UploadSlot } from './uploads';

const slot: UploadSlot = {
  uploadId: '01JUPLOAD00000000000000000',
  state: 'awaiting_upload',
  upload: {
    url: 'https://uploads.s3.eu-west-1.amazonaws.com/',
    fields: { key: 'incoming/01JUPLOAD.csv', Policy: 'p', 'Content-Type': 'text/csv' },
    expiresInSeconds: 900,
  },
  maxBytes: 50_000_000,
};

/** Stands in for the browser's XHR: records what was sent, then plays the upload's progress and answer. */
class FakeRequest extends EventTarget {
  static last: FakeRequest;
  readonly upload = new EventTarget();
  status = 0;
  responseText = '';
  opened: [string, string] | undefined;
  sent: FormData | undefined;
  constructor() {
    super();
    FakeRequest.last = this;
  }
  open(method: string, url: string) {
    this.opened = [method, url];
  }
  send(body: FormData) {
    this.sent = body;
  }
  progress(loaded: number, total: number) {
    this.upload.dispatchEvent(
      Object.assign(new Event('progress'), { loaded, total, lengthComputable: true }),
    );
  }
  answer(status: number, body = '') {
    this.status = status;
    this.responseText = body;
    this.dispatchEvent(new Event('load'));
  }
}

describe('posting a file to storage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('posts every presigned field first and the file last, reporting the bytes sent as they go', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeRequest);
    const file = new File(['email\na@example.com\n'], 'leads.csv', { type: 'text/csv' });
    const progress: [number, number][] = [];
    const posted = postToStorage(slot, file, (sent, total) => progress.push([sent, total]));
    const request = FakeRequest.last;
    request.progress(10, 21);
    request.progress(21, 21);
    request.answer(204);
    await posted;

    expect(request.opened).toEqual(['POST', slot.upload.url]);
    expect([...(request.sent?.keys() ?? [])]).toEqual(['key', 'Policy', 'Content-Type', 'file']);
    expect(progress).toEqual([
      [10, 21],
      [21, 21],
    ]);
  });

  it("passes on S3's own reason when it refuses the file", async () => {
    vi.stubGlobal('XMLHttpRequest', FakeRequest);
    const posted = postToStorage(slot, new File(['x'], 'big.csv'), () => {});
    FakeRequest.last.answer(
      400,
      '<Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message></Error>',
    );

    await expect(posted).rejects.toThrow(
      'Storage refused the file (HTTP 400): Your proposed upload exceeds the maximum allowed size',
    );
  });
});
