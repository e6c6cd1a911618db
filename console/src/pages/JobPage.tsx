import { useState } from 'preact/hooks';
import { FINAL_STATES, type JobStatus } from '../../../client/src/index.js';
import { api, errorText } from '../api.js';
import { ErrorBox, Section, StatusBadge, Time, duration, usePoll } from '../components.js';
import { Link, navigate } from '../router.js';

const PAGE_ROWS = 20;

/** /ui/jobs/{jobID}: status, timings, error, warnings, the first result rows, Cancel and Purge. */
export function JobPage(props: { jobId: string }) {
  const job = usePoll(() => api.job(props.jobId), 1000, [props.jobId], (j) => !FINAL_STATES.includes(j.status));
  const [acting, setActing] = useState<string | undefined>();
  const [actionError, setActionError] = useState<string | undefined>();
  const j = job.value;

  const act = async (what: 'cancel' | 'purge') => {
    setActing(what);
    setActionError(undefined);
    try {
      if (what === 'cancel') await api.cancelJob(props.jobId);
      else {
        await api.purgeJob(props.jobId);
        // The record and its results are gone: nothing left to show here.
        navigate('/');
        return;
      }
    } catch (err) {
      setActionError(errorText(err));
    }
    setActing(undefined);
    job.reload();
  };

  const waiting = j && !FINAL_STATES.includes(j.status);
  return (
    <>
      <Section
        title={<>Job <code>{props.jobId}</code> {j ? <StatusBadge status={j.status} /> : null}</>}
        actions={
          j ? (
            waiting ? (
              <button class="danger" id="cancel" disabled={acting !== undefined} onClick={() => act('cancel')}>Cancel</button>
            ) : (
              <button class="danger" id="purge" disabled={acting !== undefined} onClick={() => confirm(`Delete job ${props.jobId} and its results?`) && act('purge')}>Purge</button>
            )
          ) : null
        }
      >
        <ErrorBox error={job.error} />
        <ErrorBox error={actionError} />
        {j ? <JobFacts job={j} /> : null}
      </Section>
      {j?.status === 'SUCCESS' ? <Results jobId={props.jobId} count={j.count ?? 0} /> : null}
    </>
  );
}

function JobFacts({ job }: { job: JobStatus }) {
  return (
    <dl class="facts" id="job">
      <dt>status</dt><dd data-field="status">{job.status}</dd>
      <dt>task</dt><dd>{job.task}</dd>
      <dt>queue</dt><dd>{job.queue}</dd>
      <dt>database</dt><dd>{job.db} → {job.results_db}{job.results_table ? <> (<code>{job.results_table}</code>)</> : null}</dd>
      <dt>attempt</dt><dd>{job.attempt} of {job.retries + 1}</dd>
      {job.group_id ? <><dt>group</dt><dd><Link to={`/groups/${encodeURIComponent(job.group_id)}`}>{job.group_id}</Link></dd></> : null}
      {job.eta ? <><dt>eta</dt><dd>{job.eta} UTC</dd></> : null}
      <dt>created</dt><dd><Time at={job.created_at} /></dd>
      <dt>started</dt><dd><Time at={job.started_at} /> {job.started_at ? <span class="muted">(waited {duration(job.created_at, job.started_at)})</span> : null}</dd>
      <dt>finished</dt><dd><Time at={job.finished_at} /> {job.started_at ? <span class="muted">(ran {duration(job.started_at, job.finished_at)})</span> : null}</dd>
      <dt>rows</dt><dd data-field="count">{job.count ?? '–'}</dd>
      <dt>expires</dt><dd><Time at={job.expires_at} /></dd>
      {job.error ? <><dt>error</dt><dd><pre class="error" data-field="error">{job.error}</pre></dd></> : null}
      {job.warnings.length ? (
        <>
          <dt>warnings</dt>
          <dd>
            <ul class="warnings" data-field="warnings">{job.warnings.map((w) => <li>{w}</li>)}</ul>
          </dd>
        </>
      ) : null}
    </dl>
  );
}

/** The job's rows, a page at a time, and the whole result as a CSV file. */
function Results(props: { jobId: string; count: number }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const page = usePoll(() => api.results(props.jobId, { limit: PAGE_ROWS, ...(cursor ? { cursor } : {}) }), 0, [props.jobId, cursor], () => false);
  const [downloading, setDownloading] = useState<string | undefined>();
  const first = cursors.length * PAGE_ROWS;

  const download = async () => {
    setDownloading('downloading…');
    try {
      const parts: string[] = [];
      let next: string | undefined;
      do {
        const { csv, nextCursor } = await api.resultsCsv(props.jobId, { limit: 10_000, ...(next ? { cursor: next } : {}) });
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

  const p = page.value;
  return (
    <Section title={`Results (${props.count} rows)`} actions={<button id="csv" onClick={download}>Download CSV</button>}>
      <ErrorBox error={page.error} />
      {downloading ? <p class="muted">{downloading}</p> : null}
      {p ? (
        <div class="scroll">
          <table id="results">
            <thead>
              <tr><th class="num">#</th>{p.columns.map((c) => <th key={c.name} title={c.type}>{c.name}</th>)}</tr>
            </thead>
            <tbody>
              {p.rows.map((row, i) => (
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
        <span class="muted">{p && p.rows.length > 0 ? `rows ${first + 1}–${first + p.rows.length}` : ''}</span>
        <button id="next-rows" disabled={!p?.next_cursor} onClick={() => p?.next_cursor && setCursors([...cursors, p.next_cursor])}>Next</button>
      </div>
    </Section>
  );
}
