import { render } from 'preact';
import { useState } from 'preact/hooks';
import { token } from './api.js';
import { GroupPage } from './pages/GroupPage.js';
import { HomePage } from './pages/HomePage.js';
import { JobPage } from './pages/JobPage.js';
import { TasksPage } from './pages/TasksPage.js';
import { Link, usePath } from './router.js';
import './style.css';

function Page({ path }: { path: string }) {
  const job = /^\/jobs\/([^/]+)\/?$/.exec(path);
  if (job) return <JobPage jobId={decodeURIComponent(job[1]!)} />;
  const group = /^\/groups\/([^/]+)\/?$/.exec(path);
  if (group) return <GroupPage groupId={decodeURIComponent(group[1]!)} />;
  if (path === '/tasks' || path === '/tasks/') return <TasksPage />;
  if (path === '/' || path === '') return <HomePage />;
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
  const path = usePath();
  return (
    <>
      <header>
        <Link to="/" class="brand">SQL Jobber</Link>
        <nav>
          <Link to="/">Queues &amp; jobs</Link>
          <Link to="/tasks">Tasks</Link>
        </nav>
        <TokenForm />
      </header>
      <main>
        <Page path={path} />
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
