import { useState } from 'preact/hooks';
import type { ResultsFilter, ResultsPage } from '../../../client/src/index.js';
import { apiFor } from '../api.js';
import { ErrorBox, Section, usePoll } from '../components.js';

/** Points drawn at most (one page of the results, in the x column's order). */
const MAX_POINTS = 1000;
const W = 720;
const H = 300;
const PAD = { left: 64, right: 16, top: 12, bottom: 40 };
const NUMERIC = new Set(['BIGINT', 'DECIMAL', 'DOUBLE']);
/** Kinds an x axis can place: numbers, dates and times. */
const PLACEABLE = new Set([...NUMERIC, 'DATE', 'TIMESTAMP', 'TIMESTAMPTZ']);
const GROUPABLE = new Set(['TEXT', 'BOOLEAN', 'DATE', 'BIGINT', 'UUID', 'TIMESTAMP']);

type Columns = ResultsPage['columns'];

/** A value on an axis: numbers as numbers, dates and timestamps as epoch ms. */
function position(v: unknown): number | undefined {
  if (v === null || v === undefined || typeof v === 'boolean') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  const n = Number(v);
  if (Number.isFinite(n)) return n;
  const t = Date.parse(String(v).replace(' ', 'T').replace(/\+00$/, 'Z'));
  return Number.isFinite(t) ? t : undefined;
}

function label(n: number, dates: boolean): string {
  if (dates) return new Date(n).toISOString().slice(0, 10);
  return Math.abs(n) >= 1e6 || (Math.abs(n) < 1e-3 && n !== 0) ? n.toExponential(2) : String(Math.round(n * 100) / 100);
}

function extent(xs: number[]): [number, number] {
  let lo = Math.min(...xs);
  let hi = Math.max(...xs);
  if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
  return [lo, hi];
}

/**
 * A chart of the rows the table shows (its filters): one numeric column
 * against another as points, or a bar per group of an aggregate (`count()` or
 * the sum of a numeric column), computed by the results database.
 */
export function ResultsChart(props: { jobId: string; tenant?: string | undefined; columns: Columns; filters: ResultsFilter[] }) {
  const api = apiFor(props.tenant);
  const numeric = props.columns.filter((c) => NUMERIC.has(c.type));
  const placeable = props.columns.filter((c) => PLACEABLE.has(c.type));
  const groupable = props.columns.filter((c) => GROUPABLE.has(c.type));
  const [kind, setKind] = useState<'points' | 'bars'>(numeric.length >= 2 || (placeable.length >= 2 && numeric.length >= 1) ? 'points' : 'bars');
  const [x, setX] = useState(placeable[0]?.name ?? '');
  const [y, setY] = useState((numeric.find((c) => c.name !== placeable[0]?.name) ?? numeric[0])?.name ?? '');
  // Text and booleans first: they tend to have few values, so few bars.
  const [group, setGroup] = useState((groupable.find((c) => c.type === 'TEXT' || c.type === 'BOOLEAN') ?? groupable[0])?.name ?? '');
  const [measure, setMeasure] = useState('count');
  const filterKey = JSON.stringify(props.filters);
  const data = usePoll(
    async () => {
      if (kind === 'points') {
        if (!x || !y) return undefined;
        return api.results(props.jobId, { select: [x, y], filters: props.filters, order: [{ by: x }], limit: MAX_POINTS });
      }
      if (!group) return undefined;
      const agg = measure === 'count' ? { fn: 'count' as const } : { fn: 'sum' as const, column: measure };
      return api.results(props.jobId, { select: [group, agg], filters: props.filters, order: [{ by: agg, desc: true }], limit: 50 });
    },
    0,
    [props.jobId, props.tenant, kind, x, y, group, measure, filterKey],
    () => false,
  );

  const options = (cols: Columns) => cols.map((c) => <option key={c.name} value={c.name}>{c.name}</option>);
  return (
    <Section
      title="Chart"
      actions={
        <span class="chart-controls">
          <select id="chart-kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as 'points' | 'bars')}>
            <option value="points">points: y against x</option>
            <option value="bars">bars: an aggregate per group</option>
          </select>
          {kind === 'points' ? (
            <>
              <label>x <select id="chart-x" value={x} onChange={(e) => setX((e.target as HTMLSelectElement).value)}>{options(placeable)}</select></label>
              <label>y <select id="chart-y" value={y} onChange={(e) => setY((e.target as HTMLSelectElement).value)}>{options(numeric)}</select></label>
            </>
          ) : (
            <>
              <label>per <select id="chart-group" value={group} onChange={(e) => setGroup((e.target as HTMLSelectElement).value)}>{options(groupable)}</select></label>
              <label>
                of{' '}
                <select id="chart-measure" value={measure} onChange={(e) => setMeasure((e.target as HTMLSelectElement).value)}>
                  <option value="count">count()</option>
                  {numeric.map((c) => <option key={c.name} value={c.name}>sum({c.name})</option>)}
                </select>
              </label>
            </>
          )}
        </span>
      }
    >
      <ErrorBox error={data.error} />
      {data.value ? kind === 'points' ? <Points page={data.value} /> : <Bars page={data.value} /> : <p class="muted">{(kind === 'points' ? x && y : group) ? 'loading…' : 'no columns to chart'}</p>}
    </Section>
  );
}

function Axes(props: { x?: [number, number]; y: [number, number]; xDates: boolean; xName: string; yName: string }) {
  const { x, y } = props;
  return (
    <g class="axes">
      <line x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} />
      <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} />
      {x ? <text x={PAD.left} y={H - PAD.bottom + 16}>{label(x[0], props.xDates)}</text> : null}
      {x ? <text x={W - PAD.right} y={H - PAD.bottom + 16} text-anchor="end">{label(x[1], props.xDates)}</text> : null}
      <text x={(W + PAD.left) / 2} y={H - 6} text-anchor="middle" class="axis-name">{props.xName}</text>
      <text x={PAD.left - 6} y={H - PAD.bottom} text-anchor="end">{label(y[0], false)}</text>
      <text x={PAD.left - 6} y={PAD.top + 10} text-anchor="end">{label(y[1], false)}</text>
      <text x={12} y={(H - PAD.bottom + PAD.top) / 2} class="axis-name" transform={`rotate(-90 12 ${(H - PAD.bottom + PAD.top) / 2})`} text-anchor="middle">{props.yName}</text>
    </g>
  );
}

function Points({ page }: { page: ResultsPage }) {
  const xDates = !NUMERIC.has(page.columns[0]?.type ?? '');
  const points = page.rows.flatMap((r) => {
    const px = position(r[0]);
    const py = position(r[1]);
    return px === undefined || py === undefined ? [] : [[px, py] as const];
  });
  if (points.length === 0) return <p class="muted">no rows with both values</p>;
  const xs = extent(points.map((p) => p[0]));
  const ys = extent(points.map((p) => p[1]));
  const sx = (v: number) => PAD.left + ((v - xs[0]) / (xs[1] - xs[0])) * (W - PAD.left - PAD.right);
  const sy = (v: number) => H - PAD.bottom - ((v - ys[0]) / (ys[1] - ys[0])) * (H - PAD.top - PAD.bottom);
  return (
    <svg id="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${page.columns[1]?.name} against ${page.columns[0]?.name}`}>
      <Axes x={xs} y={ys} xDates={xDates} xName={page.columns[0]?.name ?? ''} yName={page.columns[1]?.name ?? ''} />
      {points.map(([px, py], i) => <circle key={i} cx={sx(px)} cy={sy(py)} r={3} class="point" />)}
      {page.next_cursor ? <text x={W - PAD.right} y={PAD.top + 10} text-anchor="end" class="muted">first {points.length} rows by {page.columns[0]?.name}</text> : null}
    </svg>
  );
}

function Bars({ page }: { page: ResultsPage }) {
  const bars = page.rows.map((r) => ({ name: r[0] === null ? 'NULL' : String(r[0]), value: position(r[1]) ?? 0 }));
  if (bars.length === 0) return <p class="muted">no groups</p>;
  const max = Math.max(0, ...bars.map((b) => b.value));
  const min = Math.min(0, ...bars.map((b) => b.value));
  const span = max - min || 1;
  const band = (W - PAD.left - PAD.right) / bars.length;
  const sy = (v: number) => H - PAD.bottom - ((v - min) / span) * (H - PAD.top - PAD.bottom);
  return (
    <svg id="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${page.columns[1]?.name} per ${page.columns[0]?.name}`}>
      <Axes y={[min, max]} xDates={false} xName={page.columns[0]?.name ?? ''} yName={page.columns[1]?.name ?? ''} />
      {bars.map((b, i) => (
        <g key={b.name}>
          <rect class="bar" x={PAD.left + i * band + band * 0.15} width={band * 0.7} y={Math.min(sy(b.value), sy(0))} height={Math.abs(sy(0) - sy(b.value))}>
            <title>{`${b.name}: ${b.value}`}</title>
          </rect>
          <text x={PAD.left + i * band + band / 2} y={H - PAD.bottom + 16} text-anchor="middle" class="bar-label">{b.name.length > 14 ? `${b.name.slice(0, 13)}…` : b.name}</text>
        </g>
      ))}
    </svg>
  );
}
