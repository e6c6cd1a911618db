import type { App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { groupStatus } from '../../lib/groups/groupStatus.js';
import { httpRoute, pathGroupId } from './httpRoute.js';

/** GET /groups/{groupID}: a group's status and its jobs. */
export const makeHandler = (app: () => App) => httpRoute(async (event) => groupStatus(app(), pathGroupId(event)));

export const handler = onColdStart((app) => makeHandler(app));
