// Go's units plus days ("30d"), which Go lacks but TTLs want.
const DURATION = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h|d))+$/;
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/g;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Reads a Go duration string ("1h30m", "500ms", and days: "30d") or a number of
 * seconds (also as a digit string) into milliseconds; undefined when it is
 * neither, negative or not finite.
 */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  let ms = 0;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else if (!DURATION.test(text)) return undefined;
  else for (const [, amount, unit] of text.matchAll(DURATION_PART)) ms += Number(amount) * UNIT_MS[unit!]!;
  return Number.isFinite(ms) ? ms : undefined;
}
