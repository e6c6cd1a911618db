import { createApp, lazy, type App } from '../../lib/app.js';
import { submitGroup } from '../../lib/groups/submitGroup.js';
import { httpRoute, jsonBody } from './httpRoute.js';

/** POST /groups: schedule a group of jobs. */
export const makeHandler = (app: () => App) => httpRoute(async (event) => submitGroup(app(), jsonBody(event)));

export const handler = makeHandler(lazy(() => createApp()));
