import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from './api.js';

/**
 * Loads with `load` at once and again every `everyMs` while `keepPolling`
 * says so (given the last value); a failed load keeps the last value and shows the error.
 */
export function usePoll<T>(load: () => Promise<T>, everyMs: number, deps: unknown[], keepPolling: (value: T) => boolean = () => true) {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    setValue(undefined);
  }, deps);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      let next: T | undefined;
      try {
        next = await loadRef.current();
        if (stopped) return;
        setValue(next);
        setError(undefined);
      } catch (err) {
        if (stopped) return;
        setError(errorText(err));
      }
      if (!stopped && (next === undefined || keepPolling(next))) timer = setTimeout(run, everyMs);
    };
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [...deps, tick]);
  return { value, error, reload: () => setTick((t) => t + 1) };
}

export function StatusBadge(props: { status: string }) {
  return <span class={`badge badge-${props.status.toLowerCase()}`} data-status={props.status}>{props.status}</span>;
}

export function ErrorBox(props: { error?: string | undefined }) {
  return props.error ? <p class="error" role="alert">{props.error}</p> : null;
}

export function Time(props: { at?: string | null }) {
  if (!props.at) return <span class="muted">–</span>;
  const d = new Date(props.at);
  return <time dateTime={props.at} title={props.at}>{d.toLocaleString()}</time>;
}

/** The time from `from` to `to` (or now), as "1.2 s" / "3 min 4 s". */
export function duration(from?: string | null, to?: string | null): string {
  if (!from) return '–';
  const ms = (to ? Date.parse(to) : Date.now()) - Date.parse(from);
  if (!(ms >= 0)) return '–';
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function Section(props: { title: ComponentChildren; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section>
      <div class="section-head">
        <h2>{props.title}</h2>
        <div class="actions">{props.actions}</div>
      </div>
      {props.children}
    </section>
  );
}
