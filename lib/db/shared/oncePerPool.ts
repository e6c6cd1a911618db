/** One setup (e.g. CREATE TABLE IF NOT EXISTS) per pool and process, not one per call; a failed one is tried again. */
const ready = new WeakMap<object, Promise<void>>();

export function oncePerPool(pool: object, create: () => Promise<void>): Promise<void> {
  let p = ready.get(pool);
  if (!p) {
    p = create().catch((err: unknown) => {
      ready.delete(pool);
      throw err;
    });
    ready.set(pool, p);
  }
  return p;
}
