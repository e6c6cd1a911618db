import { useState } from 'preact/hooks';
import { FINAL_STATES, type ExportLinks, type JobStatus } from '../../../client/src/index.js';
import { apiFor, errorText } from '../api.js';
import { ResultsExplorer } from './ResultsExplorer.js';
import { ErrorBox, Section, StatusBadge, Time, duration, usePoll } from '../components.js';
import { Link, navigate, pageOf } from '../router.js';

/**
 * /ui/jobs/{jobID}: status, timings, error, warnings, the result rows (sorted, filtered, charted), Cancel and Purge.
 * With `tenant` (?tenant=T, an operator's view of another tenant's job), every request names it in X-Tenant-Id.
 */
export function JobPage(props: { jobId: string; tenant?: string | undefined }) {
  const api = apiFor(props.tenant);
  const job = usePoll(() => api.job(props.jobId), 1000, [props.jobId, props.tenant], (j) => !FINAL_STATES.includes(j.status));
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
              <button class="danger" id="cancel" disabled={acting !== undefined} onClick={() => confirm(`Cancel job ${props.jobId}?`) && act('cancel')}>Cancel</button>
            ) : (
              <button class="danger" id="purge" disabled={acting !== undefined} onClick={() => confirm(`Delete job ${props.jobId} and its results?`) && act('purge')}>Purge</button>
            )
          ) : null
        }
      >
        <ErrorBox error={job.error} />
        <ErrorBox error={actionError} />
        {j ? <JobFacts job={j} tenant={props.tenant} /> : null}
      </Section>
      {j?.export ? <ExportSection job={j} tenant={props.tenant} /> : null}
      {j?.status === 'SUCCESS' && j.results_table !== null ? <ResultsExplorer jobId={props.jobId} tenant={props.tenant} count={j.count ?? 0} /> : null}
    </>
  );
}

function JobFacts({ job, tenant }: { job: JobStatus; tenant: string | undefined }) {
  return (
    <dl class="facts" id="job">
      <dt>status</dt><dd data-field="status">{job.status}</dd>
      {tenant !== undefined ? <><dt>tenant</dt><dd data-field="tenant">{job.tenant}</dd></> : null}
      <dt>task</dt><dd>{job.task}</dd>
      <dt>queue</dt><dd>{job.queue}</dd>
      <dt>database</dt><dd>{job.db} → {job.results_db}{job.results_table ? <> (<code>{job.results_table}</code>)</> : null}</dd>
      <dt>attempt</dt><dd>{job.attempt} of {job.retries + 1}</dd>
      {job.group_id ? <><dt>group</dt><dd><Link to={pageOf('groups', job.group_id, tenant)}>{job.group_id}</Link></dd></> : null}
      {job.eta ? <><dt>eta</dt><dd>{job.eta} UTC</dd></> : null}
      <dt>created</dt><dd><Time at={job.created_at} /></dd>
      <dt>started</dt><dd><Time at={job.started_at} /> {job.started_at ? <span class="muted">(waited {duration(job.created_at, job.started_at)})</span> : null}</dd>
      <dt>finished</dt><dd><Time at={job.finished_at} /> {job.started_at ? <span class="muted">(ran {duration(job.started_at, job.finished_at)})</span> : null}</dd>
      {job.queue_position !== null ? <><dt>place in line</dt><dd data-field="queue_position">{job.queue_position > 1000 ? 'over 1,000th' : `${job.queue_position}`} on {job.queue}</dd></> : null}
      {job.status === 'STARTED' ? <><dt>progress</dt><dd><RunProgress job={job} /></dd></> : null}
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

/** A running job's rows written so far (every lease renewal, 2 s), against the planner's estimate when there is one. */
function RunProgress({ job }: { job: JobStatus }) {
  const rows = job.rows_written ?? 0;
  const pct = job.progress === null ? undefined : Math.floor(job.progress * 100);
  return (
    <div class="progress" data-field="progress" title={job.bytes_written === null ? undefined : `${job.bytes_written.toLocaleString()} bytes written`}>
      <div class="bar" style={{ width: `${pct ?? 0}%` }} />
      <span>
        <span data-field="rows_written">{rows.toLocaleString()}</span> rows written
        {job.est_rows !== null ? <> of about {job.est_rows.toLocaleString()}</> : null}
        {pct !== undefined ? <> ({pct}%)</> : null}
      </span>
    </div>
  );
}

/** The job's export to S3: its state, and once written, its parts with download links (presigned URLs, fetched when asked: they expire). */
function ExportSection({ job, tenant }: { job: JobStatus; tenant: string | undefined }) {
  const exp = job.export!;
  const [links, setLinks] = useState<ExportLinks | undefined>();
  const [error, setError] = useState<string | undefined>();
  const fetchLinks = async () => {
    setError(undefined);
    try {
      setLinks(await apiFor(tenant).exportLinks(job.job_id));
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Section
      title={<>Export <span class="muted">{exp.format}{exp.compression === 'gzip' ? ', gzip' : ''}</span></>}
      actions={exp.state === 'SUCCESS' ? <button id="export-links" onClick={() => void fetchLinks()}>{links ? 'Fresh links' : 'Download links'}</button> : null}
    >
      <ErrorBox error={error} />
      <dl class="facts" id="export">
        <dt>state</dt><dd data-field="export-state">{exp.state}</dd>
        <dt>parts</dt><dd data-field="export-parts">{exp.parts ?? '–'} <span class="muted">(at most {exp.part_rows.toLocaleString()} rows each)</span></dd>
        <dt>rows</dt><dd>{exp.rows?.toLocaleString() ?? '–'}</dd>
        <dt>bytes</dt><dd>{exp.bytes?.toLocaleString() ?? '–'}</dd>
        {exp.manifest ? <><dt>manifest</dt><dd><code>{exp.manifest}</code></dd></> : null}
      </dl>
      {links ? (
        <>
          <p class="muted">Links work until <Time at={links.urls_expire_at} />.</p>
          <ul class="export-parts" id="export-files">
            <li><a href={links.manifest.url} download>manifest.json</a></li>
            {links.parts.map((p) => (
              <li><a href={p.url} download>{p.key.slice(p.key.lastIndexOf('/') + 1)}</a></li>
            ))}
          </ul>
        </>
      ) : null}
    </Section>
  );
}
