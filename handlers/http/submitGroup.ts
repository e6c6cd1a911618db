import type { App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { submitGroup } from '../../lib/lifecycle/submitGroup.js';
import { httpRoute, jsonBody } from './httpRoute.js';

/** POST /groups: schedule a group of jobs. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => {
    const caller = await app().identify(event);
    const group = await submitGroup(app(), jsonBody(event), caller);
    const perQueue = new Map<string, number>();
    for (const job of group.jobs) perQueue.set(job.queue, (perQueue.get(job.queue) ?? 0) + 1);
    for (const [queue, count] of perQueue) app().metrics?.submitted(queue, count);
    return group;
  });

export const handler = onColdStart((app) => makeHandler(app));
