import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { QueueSeries } from '../../../client/src/index.js';
import { api } from '../api.js';
import { ErrorBox, Section, usePoll } from '../components.js';

const REFRESH_MS = 15_000;
const HEIGHT = 200;
type Window = '1h' | '1d';
type Values = (number | null)[];

/** One chart: its title, its unit, and its lines (name, colour, values per bucket). */
interface ChartSpec {
  id: string;
  title: string;
  unit: string;
  lines: { label: string; stroke: string; values: Values }[];
}

/** What a queue's series become: throughput, run time, queue wait, counts, failure rate. */
function chartsOf(q: QueueSeries, bucketSeconds: number): ChartSpec[] {
  const perMinute = q.finished.map((n) => (n * 60) / bucketSeconds);
  const seconds = (xs: Values) => xs.map((x) => (x === null ? null : x / 1000));
  return [
    { id: 'throughput', title: 'Throughput', unit: 'jobs/min', lines: [{ label: 'finished', stroke: '#2563eb', values: perMinute }] },
    {
      id: 'run-time', title: 'Run time', unit: 's',
      lines: [{ label: 'p50', stroke: '#059669', values: seconds(q.run_p50_ms) }, { label: 'p95', stroke: '#d97706', values: seconds(q.run_p95_ms) }],
    },
    {
      id: 'queue-wait', title: 'Queue wait', unit: 's',
      lines: [{ label: 'p50', stroke: '#059669', values: seconds(q.wait_p50_ms) }, { label: 'p95', stroke: '#d97706', values: seconds(q.wait_p95_ms) }],
    },
    {
      id: 'counts', title: 'Waiting and running', unit: 'jobs',
      lines: [{ label: 'waiting', stroke: '#7c3aed', values: q.waiting }, { label: 'running', stroke: '#0891b2', values: q.running }],
    },
    { id: 'failure-rate', title: 'Failure rate', unit: '%', lines: [{ label: 'failed', stroke: '#dc2626', values: q.failure_rate.map((r) => (r === null ? null : r * 100)) }] },
  ];
}

/** A uPlot chart over the buckets' start times; `data-points` counts the values drawn (for tests and screen readers). */
function Chart(props: { spec: ChartSpec; t: number[] }) {
  const box = useRef<HTMLDivElement>(null);
  const points = props.spec.lines.reduce((n, l) => n + l.values.filter((v) => v !== null).length, 0);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const plot = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: HEIGHT,
        scales: { x: { time: true } },
        axes: [{}, { label: props.spec.unit, size: 56 }],
        series: [{}, ...props.spec.lines.map((l) => ({ label: l.label, stroke: l.stroke, width: 2, points: { show: true, size: 5 } }))],
        legend: { live: false },
      },
      [props.t, ...props.spec.lines.map((l) => l.values)] as uPlot.AlignedData,
      el,
    );
    return () => plot.destroy();
  }, [props.spec, props.t]);
  return (
    <figure class="chart" data-chart={props.spec.id} data-points={points}>
      <figcaption>{props.spec.title} <span class="muted">({props.spec.unit})</span></figcaption>
      <div ref={box} />
    </figure>
  );
}

/**
 * Charts of each queue over the last hour or day: throughput, p50/p95 run time and
 * queue wait, waiting and running counts and failure rate, from GET /queues/stats
 * (computed from the job records), refreshed every 15 s.
 */
export function ChartsPage() {
  const [window, setWindow] = useState<Window>('1h');
  const [queue, setQueue] = useState<string | undefined>(undefined);
  const stats = usePoll(() => api.queueStats({ window }), REFRESH_MS, [window]);
  const queues = stats.value?.queues ?? [];
  const shown = queues.find((q) => q.queue === queue) ?? queues[0];
  useEffect(() => {
    if (shown && shown.queue !== queue) setQueue(shown.queue);
  }, [shown?.queue]);
  // Built once per answer, so a chart is drawn again only when its figures change.
  const charts = useMemo(() => (shown && stats.value ? chartsOf(shown, stats.value.bucket_seconds) : []), [shown, stats.value?.bucket_seconds]);
  return (
    <Section
      title="Charts"
      actions={
        <>
          <label>
            queue{' '}
            <select value={shown?.queue ?? ''} onChange={(e) => setQueue((e.target as HTMLSelectElement).value)}>
              {queues.map((q) => <option key={q.queue} value={q.queue}>{q.queue}</option>)}
            </select>
          </label>
          <span class="segmented" role="group" aria-label="window">
            {(['1h', '1d'] as const).map((w) => (
              <button key={w} class={w === window ? 'active' : ''} aria-pressed={w === window} onClick={() => setWindow(w)}>
                last {w === '1h' ? 'hour' : 'day'}
              </button>
            ))}
          </span>
        </>
      }
    >
      <ErrorBox error={stats.error} />
      {stats.value ? (
        <p class="muted" data-field="stats-note">
          {stats.value.jobs_read.toLocaleString()} jobs created since {new Date(stats.value.from).toLocaleString()}, in {stats.value.bucket_seconds / 60}-minute buckets
          {stats.value.truncated ? '; more than the page reads, so the oldest buckets are short' : ''}.
        </p>
      ) : null}
      {shown && stats.value ? (
        <div class="charts" data-queue={shown.queue}>
          {charts.map((spec) => <Chart key={`${shown.queue}-${spec.id}`} spec={spec} t={shown.t} />)}
        </div>
      ) : null}
    </Section>
  );
}
