import { type ReactNode, useEffect } from 'react';

/** A page's heading and document title; pages start with it so every URL reads the same way. */
export const Page = ({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) => {
  useEffect(() => {
    document.title = `${title} · Proleads console`;
  }, [title]);
  return (
    <>
      <div className="page-head">
        <h1>{title}</h1>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
      {children}
    </>
  );
};

export const Section = ({ title, children }: { title: string; children: ReactNode }) => (
  <section className="section" aria-label={title}>
    <h2>{title}</h2>
    {children}
  </section>
);

/** One figure with its label, in a grid of figures. */
export const Figure = ({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) => (
  <div className="figure">
    <dt>{label}</dt>
    <dd>
      <span className="figure-value">{value}</span>
      {hint && <span className="figure-hint">{hint}</span>}
    </dd>
  </div>
);

export const Figures = ({ children }: { children: ReactNode }) => <dl className="figures">{children}</dl>;

const BADGE_TONES: Record<string, string> = {
  succeeded: 'good',
  queued: 'good',
  healthy: 'good',
  synced: 'good',
  eligible: 'good',
  enabled: 'good',
  disabled: 'muted',
  'not-started': 'bad',
  'not-due': 'muted',
  exhausted: 'muted',
  completed: 'muted',
  skipped: 'muted',
  running: 'info',
  ingesting: 'info',
  verifying: 'info',
  awaiting_upload: 'info',
  pending: 'warn',
  degraded: 'warn',
  duplicate_file: 'warn',
  paused: 'warn',
  withdrawn: 'muted',
  approved: 'good',
  refused: 'muted',
  failed: 'bad',
  'hard-bounce': 'bad',
  complaint: 'bad',
  failing: 'bad',
};

/** A state word in a coloured pill; the word itself carries the meaning, the colour only helps. */
export const Badge = ({ state }: { state: string }) => (
  <span className={`badge badge-${BADGE_TONES[state] ?? 'muted'}`}>{state.replaceAll(/[_-]/g, ' ')}</span>
);

/** A real progress bar (the element screen readers know), with its figure beside it. */
export const ProgressBar = ({ label, value, max }: { label: string; value: number; max: number }) => (
  <div className="progress">
    <progress aria-label={label} value={Math.min(value, max)} max={Math.max(max, 1)} />
    <span className="progress-text">
      {label}: {max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0}%
    </span>
  </div>
);
