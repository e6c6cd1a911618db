/**
 * Waits for `work` for at most `ms`, and never rejects: for clean-up that is worth
 * a moment (stopping a query on its server) but must not hold up, nor replace,
 * the failure being reported. `work` may go on after the wait.
 */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([work.then(
    () => undefined,
    () => undefined,
  ), waited]);
  clearTimeout(timer);
}
