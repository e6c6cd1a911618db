/** Median and spread of a bench's samples: `median 1.23 s (min 1.10, max 1.41, n 5)`. */
export function spread(samples: readonly number[], unit: 'ms' | 's' = 's', digits = unit === 's' ? 2 : 0): string {
  const s = [...samples].sort((a, b) => a - b);
  if (s.length === 0) return 'no samples';
  const mid = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  const f = (x: number) => x.toFixed(digits);
  return `median ${f(mid)} ${unit} (min ${f(s[0]!)}, max ${f(s.at(-1)!)}, n ${s.length})`;
}

/** The p-th quantile (0..1) of samples, nearest rank. */
export function quantile(samples: readonly number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
}
