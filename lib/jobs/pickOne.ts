/** One element picked at random (tasks list several dbs/results to spread load). */
export function pickOne<T>(items: readonly T[], random: () => number = Math.random): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pickOne: empty list');
  return item;
}
