import type { ObservabilityConfig } from '../config/types.js';
import { NO_TRACING, type Tracing } from './tracing.js';

/**
 * The tracing of a function, from `[observability]`: OTLP export when
 * `otlp_endpoint` is set, loading the OpenTelemetry SDK then and only then;
 * otherwise `NO_TRACING`, which costs a constant per span and loads nothing.
 */
export async function loadTracing(config: ObservabilityConfig, service: string): Promise<Tracing> {
  if (config.otlpEndpoint === undefined) return NO_TRACING;
  const { createOtlpTracing } = await import('./otlpTracing.js');
  return createOtlpTracing(config.otlpEndpoint, service);
}
