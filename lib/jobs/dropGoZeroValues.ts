/**
 * dungbeetle's Go client marshals every field of its request structs, so a field
 * its caller left unset arrives as Go's zero value: `"eta": ""`, `"ttl": 0`,
 * `"db": ""`, `"args": null`. dungbeetle reads those as "not given" (no ETA, the
 * default TTL, a random db, the task's queue), and so does SQL Jobber. An empty
 * `job_id` stays an error, as dungbeetle's POST /tasks/{task}/jobs has it.
 */
export const JOB_ZERO_VALUES: Readonly<Record<string, unknown>> = Object.freeze({
  task: '',
  queue: '',
  eta: '',
  ttl: 0,
  db: '',
  args: null,
});

/** dungbeetle's GroupReq: an unset group ID is `""`. */
export const GROUP_ZERO_VALUES: Readonly<Record<string, unknown>> = Object.freeze({ group_id: '' });

/**
 * The request body without the fields that hold exactly their Go zero value;
 * anything else (not an object, other values) is returned as it is, to be validated.
 */
export function dropGoZeroValues(body: unknown, zeros: Readonly<Record<string, unknown>>): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([key, value]) => !(Object.hasOwn(zeros, key) && zeros[key] === value)));
}
