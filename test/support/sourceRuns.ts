import pg from 'pg';
import { PG_ADMIN } from './testDatabases.js';
import { sleep } from './until.js';

/** The runs of a probe task seen on a source database, and how to stop looking. */
export interface SourceRuns {
  /** Run tag (`sql-jobber <tag>`, the run's application_name) → the statement it ran. */
  runs: Map<string, string>;
  /** Runs seen so far, once the watcher has had a moment to see a run that just ended. */
  count(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Watches pg_stat_activity of `database` every 50 ms for active statements that
 * select `'<probe>' AS tag`, keyed by the run tag every run sets as its
 * application_name: one backend shows a run under more than one query_start
 * (parse, then execute), so pid@query_start could count one run twice. A run
 * must stay active long enough to be seen (a sleep in the task).
 */
export async function watchSourceRuns(database: string, probe: string): Promise<SourceRuns> {
  const runs = new Map<string, string>();
  const watcher = new pg.Client({ ...PG_ADMIN, database });
  await watcher.connect();
  let watching = true;
  const loop = (async () => {
    while (watching) {
      const { rows } = await watcher.query(
        `SELECT application_name AS run, query FROM pg_stat_activity
          WHERE state = 'active' AND pid <> pg_backend_pid() AND query LIKE $1 AND application_name LIKE 'sql-jobber %'`,
        [`%'${probe}' AS tag%`],
      );
      for (const r of rows) runs.set(r.run, r.query);
      await sleep(50);
    }
  })();
  return {
    runs,
    count: async () => {
      await sleep(200);
      return runs.size;
    },
    stop: async () => {
      watching = false;
      await loop;
      await watcher.end();
    },
  };
}
