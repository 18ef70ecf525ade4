import { type DragEvent, useId, useRef, useState } from 'react';

const isCsv = (file: File) => file.name.toLowerCase().endsWith('.csv');

/**
 * Drop one or many CSV files here, or choose them with the file dialog (the keyboard way). Files that are
 * not CSV are named and left out rather than sent to be refused.
 */
export const DropZone = ({ onFiles }: { onFiles: (files: File[]) => void }) => {
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const [dragging, setDragging] = useState(false);
  const [skipped, setSkipped] = useState<string[]>([]);

  const take = (files: FileList | null) => {
    const all = [...(files ?? [])];
    setSkipped(all.filter((file) => !isCsv(file)).map((file) => file.name));
    const csvs = all.filter(isCsv);
    if (csvs.length > 0) onFiles(csvs);
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    take(event.dataTransfer.files);
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the drop target is for the mouse; the button inside is the keyboard way.
    <div
      className={`drop-zone${dragging ? ' drop-zone-active' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <p id={hintId}>Drop CSV lead files here, one or many at a time.</p>
      <button
        type="button"
        className="button button-primary"
        aria-describedby={hintId}
        onClick={() => input.current?.click()}
      >
        Choose CSV files
      </button>
      <input
        ref={input}
        type="file"
        accept=".csv,text/csv"
        multiple
        hidden
        data-testid="upload-input"
        onChange={(event) => {
          take(event.target.files);
          event.target.value = '';
        }}
      />
      {skipped.length > 0 && (
        <p className="field-error" role="alert">
          Not sent (only .csv files are taken): {skipped.join(', ')}
        </p>
      )}
    </div>
  );
};
