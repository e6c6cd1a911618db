import { render } from 'preact';
import { useState } from 'preact/hooks';
import { token } from './api.js';
import { ChartsPage } from './pages/ChartsPage.js';
import { GroupPage } from './pages/GroupPage.js';
import { HomePage } from './pages/HomePage.js';
import { JobPage } from './pages/JobPage.js';
import { SchedulesPage } from './pages/SchedulesPage.js';
import { TasksPage } from './pages/TasksPage.js';
import { Link, useLocation } from './router.js';
import './style.css';

function Page({ path, query }: { path: string; query: URLSearchParams }) {
  // ?tenant=T: a job or group of another tenant (an operator's), or the job list's tenant filter.
  const tenant = query.get('tenant') ?? undefined;
  const job = /^\/jobs\/([^/]+)\/?$/.exec(path);
  if (job) return <JobPage jobId={decodeURIComponent(job[1]!)} tenant={tenant} />;
  const group = /^\/groups\/([^/]+)\/?$/.exec(path);
  if (group) return <GroupPage groupId={decodeURIComponent(group[1]!)} tenant={tenant} />;
  if (path === '/tasks' || path === '/tasks/') return <TasksPage />;
  if (path === '/charts' || path === '/charts/') return <ChartsPage />;
  if (path === '/schedules' || path === '/schedules/') return <SchedulesPage />;
  if (path === '/' || path === '') return <HomePage tenant={tenant} />;
  return <p class="error">No such page: {path}. <Link to="/">Back to the queues</Link></p>;
}

/** The bearer token for JWT auth (none needed with auth "none"). */
function TokenForm() {
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(token.get() ?? '');
  if (!open) return <button class="link" onClick={() => setOpen(true)}>Token{token.get() ? ' ✓' : ''}</button>;
  return (
    <form class="token" onSubmit={(e) => { e.preventDefault(); token.set(value); setOpen(false); location.reload(); }}>
      <input type="password" placeholder="bearer token (JWT auth)" value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
      <button type="submit">Save</button>
    </form>
  );
}

function App() {
  const { path, query } = useLocation();
  return (
    <>
      <header>
        <Link to="/" class="brand">SQL Jobber</Link>
        <nav>
          <Link to="/">Queues &amp; jobs</Link>
          <Link to="/charts">Charts</Link>
          <Link to="/tasks">Tasks</Link>
          <Link to="/schedules">Schedules</Link>
          {/* A page of its own (Swagger UI), not a route of this app: a plain link. */}
          <a href="/ui/api">API reference</a>
        </nav>
        <TokenForm />
      </header>
      <main>
        <Page path={path} query={query} />
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
