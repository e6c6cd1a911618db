import { useState } from 'preact/hooks';
import type { TaskSummary } from '../../../client/src/index.js';
import { api, errorText } from '../api.js';
import { ErrorBox, Section, usePoll } from '../components.js';
import { navigate } from '../router.js';

/** /ui/tasks: each task with its SQL, and a form to submit a job with its args. */
export function TasksPage() {
  const tasks = usePoll(() => api.tasks(), 0, [], () => false);
  return (
    <Section title="Tasks">
      <ErrorBox error={tasks.error} />
      {(tasks.value ?? []).map((t) => <TaskCard key={t.name} task={t} />)}
    </Section>
  );
}

function TaskCard({ task }: { task: TaskSummary }) {
  const [args, setArgs] = useState<string[]>(() => Array.from({ length: task.args }, () => ''));
  const [jobId, setJobId] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      // A declared parameter left empty is not given (its default, or NULL); an undeclared argument is sent as typed.
      const sent = task.params ? (args.map((a) => (a === '' ? null : a)) as string[]) : args;
      const job = await api.submitJob(task.name, { args: sent, ...(jobId.trim() ? { job_id: jobId.trim() } : {}) });
      navigate(`/jobs/${encodeURIComponent(job.job_id)}`);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <article class="task" data-task={task.name}>
      <h3>{task.name}</h3>
      <p class="muted">
        queue {task.queue} · dbs {task.dbs.join(', ')} · results {task.results.join(', ')} · {task.args} argument{task.args === 1 ? '' : 's'}
        {task.timeout !== undefined ? ` · timeout ${task.timeout} s` : ''}{task.raw ? ' · raw' : ''}
      </p>
      <pre class="sql">{task.sql}</pre>
      <form onSubmit={submit}>
        {args.map((v, i) => (
          <label key={i}>
            {paramLabel(task, i)}
            <input name={`arg${i + 1}`} value={v} placeholder={paramHint(task, i)} onInput={(e) => setArgs(args.map((a, k) => (k === i ? (e.target as HTMLInputElement).value : a)))} />
          </label>
        ))}
        <label>
          job_id
          <input name="job_id" placeholder="generated" value={jobId} onInput={(e) => setJobId((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" disabled={busy}>Submit job</button>
      </form>
      <ErrorBox error={error} />
    </article>
  );
}

/** A declared parameter's name (`$n` for a task without declarations). */
function paramLabel(task: TaskSummary, i: number): string {
  const p = task.params?.[i];
  return p ? `${p.name}${p.required ? ' *' : ''}` : `$${i + 1}`;
}

/** What a declared parameter takes: its type, its values, its default. */
function paramHint(task: TaskSummary, i: number): string | undefined {
  const p = task.params?.[i];
  if (!p) return undefined;
  const type = p.values ? p.values.join(' | ') : `${p.type}${p.array ? '[]' : ''}`;
  return p.default === undefined ? type : `${type} (default ${p.default})`;
}
