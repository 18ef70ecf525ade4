import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { DataTable } from '@/components/table';
import type { Schemas } from '@/lib/api-types';
import { formatCount, formatInstant } from '@/lib/format';

type Run = Schemas['Run'];

const HEIGHT = 240;

/** The runs oldest first, one slot each on the x axis (runs are events, not a time series). */
export const chartSeries = (runs: readonly Run[]) => {
  const ordered = [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return {
    ordered,
    data: [
      ordered.map((_run, index) => index),
      ordered.map((run) => run.leadsAssigned),
      ordered.map((run) => run.leadsShort),
    ] as [number[], number[], number[]],
  };
};

const shortDate = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/**
 * Leads assigned (bars) and leads short (line: what eligible members were owed but did not get) per recent run. The same figures are in
 * the table below it, for screen readers and for exact numbers.
 */
export const RunsChart = ({ runs }: { runs: readonly Run[] }) => {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const bars = uPlot.paths.bars?.({ size: [0.6, 48] });
    const { ordered, data } = chartSeries(runs);
    const label = (index: number) => {
      const run = ordered[Math.round(index)];
      return run ? shortDate.format(new Date(run.startedAt)) : '';
    };
    const chart = new uPlot(
      {
        width: element.clientWidth || 600,
        height: HEIGHT,
        legend: { show: true },
        scales: {
          x: { time: false, range: () => [-0.5, ordered.length - 0.5] },
          y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] },
        },
        axes: [
          {
            splits: () => ordered.map((_run, index) => index),
            values: (_u, splits) => splits.map(label),
            grid: { show: false },
          },
          { label: 'leads', size: 60 },
        ],
        series: [
          { label: 'Run', value: (_u, index) => (index === null ? '—' : label(index)) },
          {
            label: 'Leads assigned',
            stroke: '#1f5fbf',
            fill: 'rgba(31,95,191,0.35)',
            paths: bars,
            points: { show: false },
          },
          { label: 'Leads short', stroke: '#b3261e', width: 2, points: { show: true, size: 7 } },
        ],
      },
      data,
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [runs]);
  const newestFirst = [...runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return (
    <figure className="chart">
      <div ref={container} role="img" aria-label="Leads assigned and leads short per recent run" />
      <details>
        <summary>The runs as a table</summary>
        <DataTable
          compact
          columns={[
            'Started',
            'State',
            { label: 'Leads assigned', numeric: true },
            { label: 'Leads short', numeric: true },
          ]}
        >
          {newestFirst.map((run) => (
            <tr key={run.runId}>
              <td>{formatInstant(run.startedAt)}</td>
              <td>{run.state}</td>
              <td className="number">{formatCount(run.leadsAssigned)}</td>
              <td className="number">{formatCount(run.leadsShort)}</td>
            </tr>
          ))}
        </DataTable>
      </details>
    </figure>
  );
};
