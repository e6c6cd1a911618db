import { useEffect, useState } from 'preact/hooks';
import type { JobState } from '../../../client/src/index.js';
import { api } from '../api.js';
import { ErrorBox, Section, StatusBadge, Time, duration, usePoll } from '../components.js';
import { Link, navigate, pageOf } from '../router.js';

const STATES: JobState[] = ['PENDING', 'STARTED', 'RETRY', 'SUCCESS', 'FAILURE', 'CANCELLED'];
const REFRESH_MS = 2000;

/**
 * The landing page: the queues with their live counts, and the latest jobs, refreshing by themselves.
 * An operator's list (its jobs carry their `tenant`) shows each job's tenant and filters by one
 * (`tenant`, from ?tenant=); its links name the tenant, so the job's page can act for it.
 */
export function HomePage(props: { tenant?: string | undefined }) {
  const [auto, setAuto] = useState(true);
  const [queue, setQueue] = useState('');
  const [state, setState] = useState('');
  // The filter lives in the address (?tenant=T), so the filtered list can be reloaded or shared.
  const tenant = props.tenant ?? '';
  const [typedTenant, setTypedTenant] = useState(tenant);
  // Once a listing carried tenants, the caller is an operator: the tenant filter stays, even over an empty page.
  const [seenTenants, setSeenTenants] = useState<string[]>([]);
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const queues = usePoll(() => api.queues(), REFRESH_MS, [auto], () => auto);
  const jobs = usePoll(
    () => api.listJobs({ limit: 25, ...(queue ? { queue } : {}), ...(state ? { state: state as JobState } : {}), ...(tenant ? { tenant } : {}), ...(cursor ? { cursor } : {}) }),
    REFRESH_MS,
    [auto, queue, state, tenant, cursor],
    () => auto && cursor === undefined,
  );
  const resetPaging = () => setCursors([]);
  // Another tenant filter (typed, or the address changed): its list starts at the newest page.
  useEffect(() => {
    setTypedTenant(tenant);
    setCursors((c) => (c.length ? [] : c));
  }, [tenant]);
  const listed = jobs.value?.jobs ?? [];
  const fresh = listed.flatMap((j) => (j.tenant !== undefined && !seenTenants.includes(j.tenant) ? [j.tenant] : []));
  if (fresh.length) setSeenTenants([...new Set([...seenTenants, ...fresh])].sort());
  const operator = seenTenants.length > 0 || tenant !== '';
  const filterTenant = (value: string) => {
    const t = value.trim();
    if (t === tenant) return;
    resetPaging();
    navigate(t ? `/?tenant=${encodeURIComponent(t)}` : '/', { replace: true });
  };

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
            {operator ? (
              <form class="tenant-filter" onSubmit={(e) => { e.preventDefault(); filterTenant(typedTenant); }}>
                <input
                  aria-label="tenant"
                  name="tenant"
                  list="tenants"
                  placeholder="all tenants"
                  value={typedTenant}
                  onInput={(e) => setTypedTenant((e.target as HTMLInputElement).value)}
                  onChange={(e) => filterTenant((e.target as HTMLInputElement).value)}
                />
                <datalist id="tenants">{seenTenants.map((t) => <option key={t} value={t} />)}</datalist>
              </form>
            ) : null}
          </>
        }
      >
        <ErrorBox error={jobs.error} />
        <table id="jobs">
          <thead>
            <tr><th>job</th>{operator ? <th>tenant</th> : null}<th>status</th><th>task</th><th>queue</th><th>created</th><th class="num">ran</th><th class="num">rows</th></tr>
          </thead>
          <tbody>
            {listed.map((j) => (
              // Job IDs are unique within a tenant only: an operator's list can hold the same ID twice.
              <tr key={`${j.tenant ?? ''}/${j.job_id}`} data-job={j.job_id} data-tenant={j.tenant}>
                <td><Link to={pageOf('jobs', j.job_id, j.tenant)}>{j.job_id}</Link>{j.group_id ? <> <Link class="muted" to={pageOf('groups', j.group_id, j.tenant)}>(group)</Link></> : null}</td>
                {operator ? <td data-field="tenant">{j.tenant ?? ''}</td> : null}
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
            {jobs.value && jobs.value.jobs.length === 0 ? <tr><td colSpan={operator ? 8 : 7} class="muted">no jobs{cursor ? ' on this page' : ''}</td></tr> : null}
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
