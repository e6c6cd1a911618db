import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createOtelTracing } from './otelTracing.js';
import type { Tracing } from './tracing.js';

/**
 * Tracing that exports OTLP over HTTP to `endpoint` (`[observability] otlp_endpoint`;
 * in AWS, the ADOT layer's collector at `http://localhost:4318/v1/traces`). Spans
 * are batched and sent when the function flushes, before its invocation returns.
 * Loaded only when the endpoint is set (`loadTracing`), so a function without it
 * never evaluates OpenTelemetry's SDK.
 */
export function createOtlpTracing(endpoint: string, service: string): Tracing {
  // A collector that does not answer holds an invocation up for at most EXPORT_TIMEOUT_MS.
  const exporter = new OTLPTraceExporter({ url: endpoint, timeoutMillis: EXPORT_TIMEOUT_MS });
  return createOtelTracing(new BatchSpanProcessor(exporter, { exportTimeoutMillis: EXPORT_TIMEOUT_MS }), service);
}

/** How long one export may take (the SDK's default is 30 s, too long to hold a function's answer). */
const EXPORT_TIMEOUT_MS = 2_000;
