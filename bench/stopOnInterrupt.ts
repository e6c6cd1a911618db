/**
 * Ctrl-C or SIGTERM during a bench: `stop` runs (whatever the bench started goes),
 * then the process exits 130. Returns what removes the handlers, for a stop that
 * ran without a signal.
 */
export function stopOnInterrupt(stop: () => Promise<unknown>): () => void {
  const onSignal = () => {
    console.log('\ninterrupted: stopping');
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
