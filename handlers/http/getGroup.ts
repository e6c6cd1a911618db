import type { App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { groupStatus } from '../../lib/groups/groupStatus.js';
import { parseWait } from '../../lib/longPoll/parseWait.js';
import { waitForGroup } from '../../lib/longPoll/waitForGroup.js';
import { scopeId } from '../../lib/identity/tenantScope.js';
import { httpRoute, pathGroupId } from './httpRoute.js';

/** GET /groups/{groupID}[?wait=N]: a group's status and its jobs; with `wait`, as soon as it is final or after N seconds. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => {
    const caller = await app().identify(event);
    const groupId = scopeId(caller.tenant, pathGroupId(event));
    const wait = parseWait(event.queryStringParameters?.wait);
    return wait === undefined ? groupStatus(app(), groupId) : waitForGroup(app(), groupId, wait);
  });

export const handler = onColdStart((app) => makeHandler(app));
