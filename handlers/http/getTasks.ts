import type { App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { toTaskSummary } from '../../lib/tasks/loadTasks.js';
import { httpRoute } from './httpRoute.js';

/** GET /tasks: the registered tasks. */
export const makeHandler = (app: () => App) => httpRoute(async () => [...app().tasks.tasks.values()].map(toTaskSummary));

export const handler = onColdStart((app) => makeHandler(app));
