// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { UploadOutcome } from './upload-status';

const renderOutcome = (upload: Parameters<typeof UploadOutcome>[0]['upload']) =>
  render(
    <Router hook={memoryLocation().hook}>
      <UploadOutcome upload={upload} />
    </Router>,
  );

describe('why an upload stopped, in plain words', () => {
  it('links a repeated file to the earlier upload it repeats', () => {
    renderOutcome({ state: 'duplicate_file', duplicateOf: '01JEARLIERUPLOAD0000000000' });

    expect(screen.getByText(/byte for byte the same as one uploaded before/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'See the earlier upload' }).getAttribute('href')).toBe(
      '/uploads/01JEARLIERUPLOAD0000000000',
    );
  });

  it('gives the reason a file was refused and the row reading stopped at', () => {
    renderOutcome({
      state: 'failed',
      failureReason: 'The header has 5 columns; at most 4 are allowed',
      stoppedAtRow: 1,
    });

    expect(
      screen.getByText(/refused as a whole: The header has 5 columns; at most 4 are allowed\./).textContent,
    ).toContain('Reading stopped at row 1.');
  });

  it('says nothing for an upload on its way', () => {
    const { container } = renderOutcome({ state: 'verifying' });
    expect(container.textContent).toBe('');
  });
});
