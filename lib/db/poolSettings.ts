/** Idle connections are kept this long when `maxIdle` allows any. */
export const IDLE_TIMEOUT_MS = 60_000;

/**
 * TCP keepalive probes start after this much silence: a server host that vanished
 * (no FIN, no RST) is noticed within seconds of it, not after the OS's two hours.
 */
export const KEEPALIVE_DELAY_MS = 10_000;
