import { type FormEvent, useMemo, useState } from 'react';
import { Field } from '@/components/field';
import { ErrorMessage } from '@/components/states';
import { fieldErrorsOf } from '@/lib/api-client';
import { DAYS, type Day, type ScheduleFormValues, timeZoneChoices } from '../lib/schedule-form-values';

/** The schedule form; the API validates, and its field errors appear under their fields. */
export const ScheduleForm = ({
  initial,
  submitLabel,
  saving,
  error,
  onSubmit,
}: {
  initial: ScheduleFormValues;
  submitLabel: string;
  saving: boolean;
  error: unknown;
  onSubmit: (values: ScheduleFormValues) => void;
}) => {
  const [values, setValues] = useState(initial);
  const zones = useMemo(timeZoneChoices, []);
  const errors = fieldErrorsOf(error);
  const set = <K extends keyof ScheduleFormValues>(key: K, value: ScheduleFormValues[K]) =>
    setValues((current) => ({ ...current, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(values);
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Schedule">
      {error !== null && error !== undefined && <ErrorMessage error={error} />}
      <Field label="Name" hint="letters, digits, dots, hyphens or underscores (up to 64)" error={errors.name}>
        {(props) => (
          <input {...props} value={values.name} onChange={(event) => set('name', event.target.value)} />
        )}
      </Field>
      <Field label="Repeats" error={errors.kind}>
        {(props) => (
          <select
            {...props}
            value={values.kind}
            onChange={(event) => set('kind', event.target.value as ScheduleFormValues['kind'])}
          >
            <option value="weekly">Weekly</option>
            <option value="monthly">Monthly</option>
          </select>
        )}
      </Field>
      {values.kind === 'weekly' ? (
        <Field label="Day of the week" error={errors.dayOfWeek}>
          {(props) => (
            <select
              {...props}
              value={values.dayOfWeek}
              onChange={(event) => set('dayOfWeek', event.target.value as Day)}
            >
              {DAYS.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : (
        <Field
          label="Day of the month"
          hint="1 to 28, so that every month has the day"
          error={errors.dayOfMonth}
        >
          {(props) => (
            <input
              {...props}
              type="number"
              min={1}
              max={28}
              inputMode="numeric"
              value={values.dayOfMonth}
              onChange={(event) => set('dayOfMonth', event.target.value)}
            />
          )}
        </Field>
      )}
      <Field label="Time" hint="in the schedule's time zone" error={errors.time}>
        {(props) => (
          <input
            {...props}
            type="time"
            value={values.time}
            onChange={(event) => set('time', event.target.value)}
          />
        )}
      </Field>
      <Field label="Time zone" error={errors.timeZone}>
        {(props) => (
          <select
            {...props}
            value={values.timeZone}
            onChange={(event) => set('timeZone', event.target.value)}
          >
            {!zones.includes(values.timeZone) && <option value={values.timeZone}>{values.timeZone}</option>}
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="field">
        <label>
          <input
            type="checkbox"
            checked={values.enabled}
            onChange={(event) => set('enabled', event.target.checked)}
          />{' '}
          Enabled (runs when due)
        </label>
        {errors.enabled && <p className="field-error">{errors.enabled}</p>}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
};
