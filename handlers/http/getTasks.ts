import type { App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { toTaskSummary } from '../../lib/tasks/loadTasks.js';
import { httpRoute } from './httpRoute.js';

/** GET /tasks: the registered tasks. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => {
    const caller = await app().identify(event);
    // A task's SQL is an operator's to read; others see its name, queue and arguments.
    return [...app().tasks.tasks.values()].map((task) => {
      const { sql, ...summary } = toTaskSummary(task);
      return caller.operator ? { ...summary, sql } : summary;
    });
  });

export const handler = onColdStart((app) => makeHandler(app));
