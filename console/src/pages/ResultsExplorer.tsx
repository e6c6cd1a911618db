import { useState } from 'preact/hooks';
import type { FilterOp, ResultsFilter, ResultsOrder, ResultsPage, ResultsQuery } from '../../../client/src/index.js';
import { apiFor, errorText } from '../api.js';
import { ErrorBox, Section, usePoll } from '../components.js';
import { ResultsChart } from './ResultsChart.js';

const PAGE_ROWS = 20;
/** Kinds that have no order and take no comparison: no sort arrow, no filter box. */
const UNORDERED = new Set(['JSON', 'BYTES', 'ARRAY']);
const OPS: readonly FilterOp[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'in', 'is'];
const SYMBOLS: Record<string, FilterOp> = { '>=': 'gte', '<=': 'lte', '!=': 'neq', '<>': 'neq', '>': 'gt', '<': 'lt', '=': 'eq' };

/**
 * What a filter box's text means: the grammar itself (`gte.100`, `not.in.(a,b)`),
 * a comparison (`>= 100`, `!= x`), a pattern with `*` (ilike), or a value (eq).
 */
export function filterFromText(column: string, text: string): ResultsFilter | undefined {
  let t = text.trim();
  if (t === '') return undefined;
  let not = false;
  if (t.startsWith('not.')) {
    not = true;
    t = t.slice(4);
  }
  const dot = t.indexOf('.');
  const op = dot > 0 ? t.slice(0, dot) : '';
  if ((OPS as readonly string[]).includes(op)) {
    const rest = t.slice(dot + 1);
    if (op === 'in') {
      const inner = rest.replace(/^\(/, '').replace(/\)$/, '');
      return { column, op: 'in', value: inner.split(',').map((v) => v.trim()), not };
    }
    return { column, op: op as FilterOp, value: rest, not };
  }
  for (const [symbol, sop] of Object.entries(SYMBOLS)) {
    if (t.startsWith(symbol)) return { column, op: sop, value: t.slice(symbol.length).trim(), not };
  }
  return { column, op: t.includes('*') ? 'ilike' : 'eq', value: t, not };
}

/**
 * A SUCCESS job's rows: sorted by a click on a column header (ascending,
 * descending, off), filtered by the row of boxes under the headers, a page
 * at a time by cursor, with a chart of the same rows; Download CSV takes the
 * filtered, sorted result whole.
 */
export function ResultsExplorer(props: { jobId: string; tenant?: string | undefined; count: number }) {
  const api = apiFor(props.tenant);
  const [order, setOrder] = useState<ResultsOrder | undefined>();
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [applied, setApplied] = useState<Record<string, string>>({});
  const [cursors, setCursors] = useState<string[]>([]);
  const filters = Object.entries(applied).flatMap(([c, t]) => filterFromText(c, t) ?? []);
  const query: ResultsQuery = { ...(filters.length ? { filters } : {}), ...(order ? { order: [order] } : {}) };
  const key = JSON.stringify(query);
  const cursor = cursors.at(-1);
  const page = usePoll(
    () => api.results(props.jobId, { ...query, limit: PAGE_ROWS, ...(cursor ? { cursor } : {}), ...(filters.length ? { count: 'exact' as const } : {}) }),
    0,
    [props.jobId, props.tenant, key, cursor],
    () => false,
  );
  const [downloading, setDownloading] = useState<string | undefined>();
  // The columns stay while a new page loads, so the filter boxes keep their focus.
  const [columns, setColumns] = useState<ResultsPage['columns']>([]);
  const p = page.value;
  if (p && p.columns.length && JSON.stringify(p.columns) !== JSON.stringify(columns)) setColumns(p.columns);
  const first = cursors.length * PAGE_ROWS;

  const sortBy = (name: string) => {
    setCursors([]);
    if (order?.by !== name) setOrder({ by: name });
    else if (!order.desc) setOrder({ by: name, desc: true });
    else setOrder(undefined);
  };
  const apply = () => {
    setCursors([]);
    setApplied(Object.fromEntries(Object.entries(typed).filter(([, t]) => t.trim() !== '')));
  };

  const download = async () => {
    setDownloading('downloading…');
    try {
      const parts: string[] = [];
      let next: string | undefined;
      do {
        const { csv, nextCursor } = await api.resultsCsv(props.jobId, { ...query, limit: 10_000, ...(next ? { cursor: next } : {}) });
        // Every page starts with the header record: keep the first one only.
        parts.push(parts.length === 0 ? csv : csv.slice(csv.indexOf('\r\n') + 2));
        next = nextCursor ?? undefined;
      } while (next);
      const url = URL.createObjectURL(new Blob(parts, { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${props.jobId}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setDownloading(undefined);
    } catch (err) {
      setDownloading(errorText(err));
    }
  };

  const matching = filters.length ? (p?.count ?? null) : props.count;
  const title = filters.length ? `Results (${matching ?? '…'} of ${props.count} rows match)` : `Results (${props.count} rows)`;
  return (
    <>
      <Section title={title} actions={<button id="csv" onClick={download}>Download CSV</button>}>
        <ErrorBox error={page.error} />
        {downloading ? <p class="muted">{downloading}</p> : null}
        {columns.length ? (
          <div class="scroll">
            <table id="results">
              <thead>
                <tr>
                  <th class="num">#</th>
                  {columns.map((c) => {
                    const sorted = order?.by === c.name ? (order.desc ? ' ▼' : ' ▲') : '';
                    return UNORDERED.has(c.type) ? (
                      <th key={c.name} title={c.type}>{c.name}</th>
                    ) : (
                      <th key={c.name} title={`${c.type}: click to sort`} class="sortable" data-column={c.name} aria-sort={sorted ? (order!.desc ? 'descending' : 'ascending') : 'none'} onClick={() => sortBy(c.name)}>
                        {c.name}
                        {sorted}
                      </th>
                    );
                  })}
                </tr>
                <tr class="filters">
                  <th><button id="apply-filters" class="small" title="apply the filters" onClick={apply}>⏎</button></th>
                  {columns.map((c) => (
                    <th key={c.name}>
                      {UNORDERED.has(c.type) ? null : (
                        <input
                          data-filter={c.name}
                          placeholder={c.type === 'TEXT' ? 'abc, *ab*' : '>= 1'}
                          value={typed[c.name] ?? ''}
                          onInput={(e) => setTyped({ ...typed, [c.name]: (e.target as HTMLInputElement).value })}
                          onKeyDown={(e) => e.key === 'Enter' && apply()}
                        />
                      )}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {(p?.rows ?? []).map((row, i) => (
                  <tr key={first + i}>
                    <td class="num muted">{first + i + 1}</td>
                    {row.map((v, k) => <td key={k} class={v === null ? 'muted' : typeof v === 'number' ? 'num' : ''}>{v === null ? 'NULL' : String(v)}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <div class="pager">
          <button disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>Previous</button>
          <span class="muted">{p && p.rows.length > 0 ? `rows ${first + 1}–${first + p.rows.length}` : p ? 'no rows match' : ''}</span>
          <button id="next-rows" disabled={!p?.next_cursor} onClick={() => p?.next_cursor && setCursors([...cursors, p.next_cursor])}>Next</button>
        </div>
      </Section>
      {columns.length ? <ResultsChart jobId={props.jobId} tenant={props.tenant} columns={columns} filters={filters} /> : null}
    </>
  );
}
