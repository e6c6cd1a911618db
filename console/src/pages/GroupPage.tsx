import type { GroupStatus } from '../../../client/src/index.js';
import { apiFor } from '../api.js';
import { ErrorBox, Section, StatusBadge, usePoll } from '../components.js';
import { Link, pageOf } from '../router.js';

const ENDED = ['SUCCESS', 'FAILURE', 'CANCELLED', 'EXPIRED'];
const isFinal = (g: GroupStatus) => ['SUCCESS', 'FAILURE', 'CANCELLED'].includes(g.status) && g.jobs.every((j) => ENDED.includes(j.status));

/**
 * /ui/groups/{groupID}: the members (with their errors and warnings), with a progress bar.
 * With `tenant` (an operator's view of another tenant's group), its requests and its members' links name it.
 */
export function GroupPage(props: { groupId: string; tenant?: string | undefined }) {
  const api = apiFor(props.tenant);
  const group = usePoll(() => api.group(props.groupId), 1000, [props.groupId, props.tenant], (g) => !isFinal(g));
  const g = group.value;
  const ended = g ? g.jobs.filter((j) => ENDED.includes(j.status)).length : 0;
  const pct = g && g.total > 0 ? Math.round((100 * ended) / g.total) : 0;
  return (
    <Section title={<>Group <code>{props.groupId}</code> {g ? <StatusBadge status={g.status} /> : null}</>}>
      <ErrorBox error={group.error} />
      {g ? (
        <>
          <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={g.total} aria-valuenow={ended}>
            <div class="bar" style={{ width: `${pct}%` }} />
            <span>{ended} of {g.total} ended ({pct} %) · at most {g.concurrency} at once</span>
          </div>
          <p class="counts">{Object.entries(g.counts).map(([s, n]) => <span key={s}><StatusBadge status={s} /> {n} </span>)}</p>
          <table id="members">
            <thead><tr><th class="num">#</th><th>job</th><th>status</th><th>task</th><th class="num">rows</th><th>error</th><th>warnings</th></tr></thead>
            <tbody>
              {g.jobs.map((j, i) => (
                <tr key={j.job_id} data-job={j.job_id}>
                  <td class="num muted">{i + 1}</td>
                  <td>{j.status === 'EXPIRED' ? j.job_id : <Link to={pageOf('jobs', j.job_id, props.tenant)}>{j.job_id}</Link>}</td>
                  <td><StatusBadge status={j.status} /></td>
                  <td>{j.task ?? ''}</td>
                  <td class="num">{j.count ?? '–'}</td>
                  <td class="error-cell">{j.error}</td>
                  <td>{j.warnings.length ? <ul class="warnings" data-field="warnings">{j.warnings.map((w) => <li>{w}</li>)}</ul> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </Section>
  );
}
