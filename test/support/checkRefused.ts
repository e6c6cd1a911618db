import { ERROR_CODES, WIRE_ERROR_CODES, type WireErrorCode } from '../../lib/errorCodes.js';
import type { HandlerWorld } from './handlerWorld.js';
import type { HostileCase } from './hostileRequests.js';

/** Writes or sends: what a refused request may never make. (A conditional update that fails writes nothing, and is checked by the table's count.) */
const SENDS = /^SQS:SendMessage/;

/**
 * The property: `c` is answered with one of its statuses (always a 4xx), the
 * error envelope whose code is its status's and whose message names what was wrong, no SQS message sent, and,
 * when `c.noCalls`, no AWS call at all. When the handler made any call (and
 * `countStores` is on), the table must hold no item and the queues no message
 * afterwards (the world starts empty); a request that made no call cannot have
 * stored anything.
 *
 * @returns the status, for tallies; throws with the request and answer on a breach.
 */
export async function checkRefused(world: HandlerWorld, c: HostileCase, countStores = true): Promise<number> {
  world.calls.splice(0);
  const answer = await world.request(c.route, c.parts);
  const calls = [...world.calls];
  const problems: string[] = [];
  const message = answer.json?.message;
  if (!c.statuses.includes(answer.statusCode) || answer.statusCode < 400 || answer.statusCode >= 500) {
    problems.push(`status ${answer.statusCode}, expected ${c.statuses.join(' or ')}`);
  }
  const code = answer.json?.code as WireErrorCode;
  if (answer.json?.status !== 'error' || answer.json.data !== null || typeof message !== 'string' || Object.keys(answer.json).length !== 4) {
    problems.push('not the error envelope');
  } else if (!WIRE_ERROR_CODES.includes(code) || ERROR_CODES[code].status !== answer.statusCode) {
    problems.push(`code ${JSON.stringify(code)} is not one of status ${answer.statusCode}'s`);
  } else {
    for (const m of c.mentions) if (!message.includes(m)) problems.push(`message does not name ${JSON.stringify(m)}`);
    if (c.anyOf && !c.anyOf.some((f) => message.includes(f))) problems.push(`message names none of ${c.anyOf.join(', ')}`);
  }
  if (calls.some((call) => SENDS.test(call))) problems.push(`sent to SQS: ${calls.join(', ')}`);
  if (c.noCalls && calls.length > 0) problems.push(`expected no AWS call, made ${calls.join(', ')}`);
  if (countStores && calls.length > 0) {
    const [items, messages] = await Promise.all([world.itemCount(), world.messageCount()]);
    if (items > 0) problems.push(`${items} item(s) in DynamoDB`);
    if (messages > 0) problems.push(`${messages} message(s) in SQS`);
  }
  if (problems.length > 0) {
    const shown = (s: string | undefined) => (s && s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s);
    throw new Error(
      `${c.route} ${JSON.stringify({ ...c.parts, body: shown(c.parts.body) })}\n  answered ${answer.statusCode} ${shown(answer.body)}\n  - ${problems.join('\n  - ')}`,
    );
  }
  return answer.statusCode;
}
