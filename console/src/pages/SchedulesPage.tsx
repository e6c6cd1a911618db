import { useState } from 'preact/hooks';
import type { ScheduleStatus } from '../../../client/src/index.js';
import { api, errorText } from '../api.js';
import { ErrorBox, Section, Time, usePoll } from '../components.js';
import { Link, pageOf } from '../router.js';

/** /ui/schedules: each schedule with its pattern, next and last runs; pause, resume, delete. */
export function SchedulesPage() {
  const [changed, setChanged] = useState(0);
  const schedules = usePoll(() => api.schedules(), 5000, [changed]);
  const [error, setError] = useState<string | undefined>();
  const act = (what: () => Promise<unknown>) => async () => {
    setError(undefined);
    try {
      await what();
    } catch (err) {
      setError(errorText(err));
    }
    setChanged((n) => n + 1);
  };
  const rows = schedules.value ?? [];
  return (
    <Section title="Schedules">
      <ErrorBox error={schedules.error ?? error} />
      {rows.length === 0 && !schedules.error ? <p class="muted">No schedules. POST /schedules makes one (see the API reference).</p> : null}
      <table class="schedules">
        <thead>
          <tr><th>schedule</th><th>task</th><th>cron</th><th>next run</th><th>last run</th><th>catch-up</th><th /></tr>
        </thead>
        <tbody>
          {rows.map((s) => <ScheduleRow key={`${s.tenant}/${s.schedule_id}`} s={s} act={act} />)}
        </tbody>
      </table>
    </Section>
  );
}

function ScheduleRow({ s, act }: { s: ScheduleStatus; act: (what: () => Promise<unknown>) => () => Promise<void> }) {
  return (
    <tr data-schedule={s.schedule_id}>
      <td>{s.schedule_id}{s.tenant !== 'default' ? <span class="muted"> ({s.tenant})</span> : null}</td>
      <td>{s.task}</td>
      <td><code>{s.cron}</code> <span class="muted">{s.timezone}</span></td>
      <td class="next-run">{s.paused ? <span class="muted">paused</span> : <Time at={s.next_run} />}</td>
      <td class="last-run">
        {s.last_job_id ? <Link to={pageOf('jobs', s.last_job_id, s.tenant === 'default' ? undefined : s.tenant)}><Time at={s.last_run} /></Link> : <span class="muted">never</span>}
        {s.last_error ? <div class="error">{s.last_error}</div> : null}
      </td>
      <td>{s.catchup}{s.skipped ? <span class="muted"> ({s.skipped} skipped)</span> : null}</td>
      <td>
        {s.paused ? <button onClick={act(() => api.resumeSchedule(s.schedule_id))}>Resume</button> : <button onClick={act(() => api.pauseSchedule(s.schedule_id))}>Pause</button>}
        <button onClick={act(() => (confirm(`Delete schedule ${s.schedule_id}? Its jobs stay.`) ? api.deleteSchedule(s.schedule_id) : Promise.resolve()))}>Delete</button>
      </td>
    </tr>
  );
}
