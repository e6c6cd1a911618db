/**
 * The entry `name` of a config section (`config.queues`, `config.db`,
 * `config.results`, ...) when the section itself holds it. Names come from
 * requests and stored records, so a plain `section[name]` would also find an
 * object's inherited properties: `constructor`, `__proto__`, `toString`.
 */
export function lookup<T>(section: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(section, name) ? section[name] : undefined;
}
