/**
 * Glossary
 * - trace: one job's way from its `POST` through its queue, its worker and the notify
 *   function, as a tree of spans that share one trace ID.
 * - traceparent: the W3C Trace Context header (`00-<trace id>-<span id>-<flags>`) that
 *   names a span as the parent of the next. It travels in the `traceparent` HTTP
 *   header into the API, then in the `traceparent` SQS message attribute of job
 *   messages and notify messages.
 * - span names: `submit` (the API call), `queue wait` (due to claimed), `run` (one
 *   worker attempt) with `claim`, `source query`, `results write` and `index build and
 *   swap` inside it, and `notify delivery` (one webhook POST).
 */

/** A span's attributes: plain values only. */
export type SpanAttributes = Readonly<Record<string, string | number | boolean>>;

/** The attribute names every job span carries (bounded values beside the job ID). */
export const SPAN_ATTRIBUTES = {
  queue: 'sqljobber.queue',
  task: 'sqljobber.task',
  jobId: 'sqljobber.job_id',
  attempt: 'sqljobber.attempt',
  outcome: 'sqljobber.outcome',
  rows: 'sqljobber.rows',
  webhook: 'sqljobber.webhook',
  deliveryAttempt: 'sqljobber.delivery_attempt',
  eventId: 'sqljobber.event_id',
} as const;

/** An open span. */
export interface TraceSpan {
  /** This span as a parent: the W3C `traceparent` value to send on ('' when tracing is off). */
  readonly traceparent: string;
  setAttributes(attributes: SpanAttributes): void;
  /** Ends the span; with an error, marked failed with its message. Later calls do nothing. */
  end(error?: unknown): void;
}

export interface SpanOptions {
  /** The parent, as a W3C `traceparent` value; absent or malformed: a new trace. */
  parent?: string | undefined;
  /** Epoch ms the span started at, when it began before this call (a queue wait). */
  startMs?: number;
  kind?: 'server' | 'producer' | 'consumer' | 'client' | 'internal';
}

/**
 * Where spans go. The API, the worker and the notify function take one from their
 * App; without `[observability] otlp_endpoint` it is `NO_TRACING`, which records
 * nothing, propagates nothing and loads no OpenTelemetry code.
 */
export interface Tracing {
  readonly enabled: boolean;
  start(name: string, attributes: SpanAttributes, options?: SpanOptions): TraceSpan;
  /** Sends the spans ended so far (a Lambda function calls it before its invocation returns). */
  flush(): Promise<void>;
}

const NO_SPAN: TraceSpan = Object.freeze({ traceparent: '', setAttributes: () => undefined, end: () => undefined });

/** Tracing off: every call is a constant. */
export const NO_TRACING: Tracing = Object.freeze({
  enabled: false,
  start: () => NO_SPAN,
  flush: () => Promise.resolve(),
});

/**
 * Runs `fn` inside a span that ends with its outcome: failed (and rethrown) when `fn`
 * throws. `fn` gets the span, to name it as a parent or add attributes.
 */
export async function inSpan<T>(
  tracing: Tracing,
  name: string,
  attributes: SpanAttributes,
  options: SpanOptions,
  fn: (span: TraceSpan) => Promise<T>,
): Promise<T> {
  const span = tracing.start(name, attributes, options);
  try {
    const out = await fn(span);
    span.end();
    return out;
  } catch (err) {
    span.end(err);
    throw err;
  }
}

/** The SQS message attribute that carries a traceparent (none when tracing is off). */
export function traceAttributes(traceparent: string | undefined): Record<string, { DataType: 'String'; StringValue: string }> | undefined {
  return traceparent ? { traceparent: { DataType: 'String', StringValue: traceparent } } : undefined;
}

/** The traceparent of a Lambda SQS record's message attributes, if any. */
export function recordTraceparent(record: { messageAttributes?: Record<string, { stringValue?: string | undefined } | undefined> }): string | undefined {
  const value = record.messageAttributes?.traceparent?.stringValue;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The caller's `traceparent` header (HTTP header names arrive in lower case from API Gateway's HTTP API). */
export function headerTraceparent(headers: Readonly<Record<string, string | undefined>> | undefined): string | undefined {
  const value = headers?.traceparent;
  return typeof value === 'string' && value !== '' ? value : undefined;
}
