import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** `npm start` as a user runs it, in its own process group (as a terminal's Ctrl-C reaches it). */
export interface StartRun {
  child: ChildProcess;
  /** Everything printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the first output that matches, rejects when the process exits first or after timeoutMs. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<number | string>;
  /** Ctrl-C: SIGINT to the whole process group. */
  interrupt(): void;
  /** SIGKILL to the whole group, if still running (test cleanup). */
  kill(): void;
}

export function runStart(env: Record<string, string>, command: string[] = ['npm', 'start']): StartRun {
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const w of waiters) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  let done = false;
  void exited.then(() => {
    done = true;
    for (const w of waiters) w();
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // gone
    }
  };
  return {
    child,
    output: () => text,
    exited,
    interrupt: () => signalGroup('SIGINT'),
    kill: () => signalGroup('SIGKILL'),
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; output:\n${text}`)), timeoutMs);
        const check = () => {
          const m = pattern.exec(text);
          if (m) finish(undefined, m);
          else if (done) finish(new Error(`npm start exited before printing ${pattern}; output:\n${text}`));
        };
        const finish = (err?: Error, m?: RegExpMatchArray) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (err) reject(err);
          else resolve(m!);
        };
        waiters.add(check);
        check();
      });
    },
  };
}
