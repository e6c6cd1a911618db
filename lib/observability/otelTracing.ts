import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, defaultTextMapSetter, trace, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanAttributes, SpanOptions, TraceSpan, Tracing } from './tracing.js';

const KINDS: Record<NonNullable<SpanOptions['kind']>, SpanKind> = {
  server: SpanKind.SERVER,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
  client: SpanKind.CLIENT,
  internal: SpanKind.INTERNAL,
};

/**
 * Tracing with the OpenTelemetry SDK: spans go to `processor` (a batch processor in
 * front of the OTLP exporter in the functions, a simple one in front of an in-memory
 * exporter in tests). Parents travel as W3C `traceparent` values, read and written
 * by OpenTelemetry's own propagator; no global provider or context manager is
 * registered, so nothing else in the process is traced by accident.
 */
export function createOtelTracing(processor: SpanProcessor, service: string): Tracing {
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: [processor] });
  const tracer = provider.getTracer('sql-jobber');
  const propagator = new W3CTraceContextPropagator();
  const wrap = (span: Span): TraceSpan => {
    const carrier: Record<string, string> = {};
    propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
    let ended = false;
    return {
      traceparent: carrier.traceparent ?? '',
      setAttributes: (attributes) => span.setAttributes(attributes),
      end(error) {
        if (ended) return;
        ended = true;
        if (error !== undefined) {
          const message = error instanceof Error ? error.message : String(error);
          span.setStatus({ code: SpanStatusCode.ERROR, message });
          if (error instanceof Error) span.recordException(error);
        }
        span.end();
      },
    };
  };
  return {
    enabled: true,
    start(name: string, attributes: SpanAttributes, options: SpanOptions = {}) {
      const parent = options.parent ? propagator.extract(ROOT_CONTEXT, { traceparent: options.parent }, defaultTextMapGetter) : ROOT_CONTEXT;
      return wrap(
        tracer.startSpan(
          name,
          { attributes, kind: KINDS[options.kind ?? 'internal'], ...(options.startMs === undefined ? {} : { startTime: options.startMs }) },
          parent,
        ),
      );
    },
    // A collector that is down or slow costs its spans, never the invocation.
    flush: () => provider.forceFlush().catch(() => undefined),
  };
}
