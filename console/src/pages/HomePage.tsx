import { useState } from 'preact/hooks';
import type { JobState } from '../../../client/src/index.js';
import { api } from '../api.js';
import { ErrorBox, Section, StatusBadge, Time, duration, usePoll } from '../components.js';
import { Link } from '../router.js';

const STATES: JobState[] = ['PENDING', 'STARTED', 'RETRY', 'SUCCESS', 'FAILURE', 'CANCELLED'];
const REFRESH_MS = 2000;

/** The landing page: the queues with their live counts, and the latest jobs, refreshing by themselves. */
export function HomePage() {
  const [auto, setAuto] = useState(true);
  const [queue, setQueue] = useState('');
  const [state, setState] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const queues = usePoll(() => api.queues(), REFRESH_MS, [auto], () => auto);
  const jobs = usePoll(
    () => api.listJobs({ limit: 25, ...(queue ? { queue } : {}), ...(state ? { state: state as JobState } : {}), ...(cursor ? { cursor } : {}) }),
    REFRESH_MS,
    [auto, queue, state, cursor],
    () => auto && cursor === undefined,
  );
  const resetPaging = () => setCursors([]);

  return (
    <>
      <Section
        title="Queues"
        actions={
          <label class="toggle">
            <input type="checkbox" checked={auto} onChange={(e) => setAuto((e.target as HTMLInputElement).checked)} /> auto-refresh
          </label>
        }
      >
        <ErrorBox error={queues.error} />
        <table id="queues">
          <thead>
            <tr><th>queue</th><th class="num">concurrency</th><th class="num">timeout</th><th class="num">waiting</th><th class="num">running</th><th class="num">dead letters</th></tr>
          </thead>
          <tbody>
            {(queues.value ?? []).map((q) => (
              <tr key={q.name} data-queue={q.name}>
                <td>{q.name}</td>
                <td class="num">{q.concurrency}</td>
                <td class="num">{q.timeout} s</td>
                <td class="num" data-count="waiting">{q.waiting}</td>
                <td class="num" data-count="running">{q.running}</td>
                <td class={`num ${q.dead_letters > 0 ? 'alert' : ''}`} data-count="dead_letters">{q.dead_letters}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section
        title="Latest jobs"
        actions={
          <>
            <select aria-label="queue" value={queue} onChange={(e) => { setQueue((e.target as HTMLSelectElement).value); resetPaging(); }}>
              <option value="">all queues</option>
              {(queues.value ?? []).map((q) => <option key={q.name} value={q.name}>{q.name}</option>)}
            </select>
            <select aria-label="state" value={state} onChange={(e) => { setState((e.target as HTMLSelectElement).value); resetPaging(); }}>
              <option value="">all states</option>
              {STATES.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </>
        }
      >
        <ErrorBox error={jobs.error} />
        <table id="jobs">
          <thead>
            <tr><th>job</th><th>status</th><th>task</th><th>queue</th><th>created</th><th class="num">ran</th><th class="num">rows</th></tr>
          </thead>
          <tbody>
            {(jobs.value?.jobs ?? []).map((j) => (
              <tr key={j.job_id} data-job={j.job_id}>
                <td><Link to={`/jobs/${encodeURIComponent(j.job_id)}`}>{j.job_id}</Link>{j.group_id ? <> <Link class="muted" to={`/groups/${encodeURIComponent(j.group_id)}`}>(group)</Link></> : null}</td>
                <td><StatusBadge status={j.status} /></td>
                <td>{j.task}</td>
                <td>{j.queue}</td>
                <td><Time at={j.created_at} /></td>
                <td class="num">{j.started_at ? duration(j.started_at, j.finished_at) : '–'}</td>
                <td class="num">
                  {j.count ?? '–'}
                  {j.warnings.length ? <span class="warn-mark" data-field="warnings" title={j.warnings.join('\n')}> ⚠ {j.warnings.length}</span> : null}
                </td>
              </tr>
            ))}
            {jobs.value && jobs.value.jobs.length === 0 ? <tr><td colSpan={7} class="muted">no jobs{cursor ? ' on this page' : ''}</td></tr> : null}
          </tbody>
        </table>
        <div class="pager">
          <button disabled={cursors.length === 0} onClick={() => setCursors([])}>Newest</button>
          <button disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>Newer</button>
          <button disabled={!jobs.value?.next_cursor} onClick={() => jobs.value?.next_cursor && setCursors([...cursors, jobs.value.next_cursor])}>Older</button>
        </div>
      </Section>
    </>
  );
}
