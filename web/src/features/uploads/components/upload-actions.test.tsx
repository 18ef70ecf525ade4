// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, renderWithApi } from '@/testing/render';
import { UploadActions } from './upload-actions';

const upload = { uploadId: '01J0000000000000000000000A', fileName: 'leads.csv' };

describe('the actions on an upload', () => {
  it('pauses a queued upload', async () => {
    const { requests } = renderWithApi(<UploadActions upload={{ ...upload, state: 'queued' }} />, {
      routes: {
        [`POST /admin/uploads/${upload.uploadId}/pause`]: () => json(200, { ...upload, state: 'paused' }),
      },
    });
    expect(screen.queryByRole('button', { name: 'Resume' })).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Pause' }));
    await screen.findByRole('button', { name: 'Pause' });
    expect(requests.map((request) => `${request.method} ${new URL(request.url).pathname}`)).toEqual([
      `POST /admin/uploads/${upload.uploadId}/pause`,
    ]);
  });

  it('offers resume and withdraw for a paused upload, release for one in verification, nothing once exhausted', () => {
    renderWithApi(<UploadActions upload={{ ...upload, state: 'paused' }} />, { routes: {} });
    expect(screen.getByRole('button', { name: 'Resume' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Withdraw' })).toBeTruthy();
    expect(screen.getByLabelText('and let the same people be uploaded again')).toBeTruthy();
    cleanup();
    renderWithApi(<UploadActions upload={{ ...upload, state: 'verifying' }} />, { routes: {} });
    expect(screen.getByRole('button', { name: 'Release from verification' })).toBeTruthy();
    cleanup();
    renderWithApi(<UploadActions upload={{ ...upload, state: 'exhausted' }} />, { routes: {} });
    expect(screen.queryByRole('button')).toBeNull();
  });
});
