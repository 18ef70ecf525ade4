/** Display helpers shared by every page: numbers, instants and ages, in the admin's locale and zone. */

const numberFormat = new Intl.NumberFormat('en-US');
export const formatCount = (value: number) => numberFormat.format(value);

const instantFormat = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
});

export const formatInstant = (iso: string | null | undefined): string =>
  iso ? instantFormat.format(new Date(iso)) : '—';

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
/** A calendar date such as 2026-12-31, shown as it is (no zone shift). */
export const formatDate = (isoDate: string | null | undefined): string =>
  isoDate ? dateFormat.format(new Date(`${isoDate.slice(0, 10)}T00:00:00Z`)) : '—';

/** An age in seconds as the largest sensible unit: "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export const formatAge = (seconds: number | null | undefined): string => {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
};

export const formatBytes = (bytes: number): string => {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
};

/** A ratio as a whole percentage, 0-100, safe for empty totals. */
export const percent = (done: number, total: number) =>
  total <= 0 ? 0 : Math.min(100, Math.round((done / total) * 100));
