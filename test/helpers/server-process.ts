// A server (or script) run as its own process, as a user runs it, with what it prints kept.
import { execFileSync, spawn } from 'node:child_process';
import { projectPath } from '../../src/paths.js';

export interface ServerProcessOptions {
  /** Default: the project folder. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Printed after the Swagger UI line before the server counts as ready, e.g. /Demo key/. */
  readyWhen?: RegExp;
}

/**
 * Runs the command; `ready` resolves with the server's address (from the start-up line naming Swagger UI)
 * and rejects when it ends first or prints nothing of the kind in 90 s.
 */
export function serverProcess(command: string, args: string[], options: ServerProcessOptions = {}) {
  const child = spawn(command, args, {
    cwd: options.cwd ?? projectPath(),
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own, so that killGroup reaches what the command starts (npm's script, the server).
    detached: true,
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => (output.stdout += chunk));
  child.stderr.on('data', (chunk) => (output.stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start in 90 s:\n${output.stdout}${output.stderr}`)), 90_000);
    // Cleared on exit too: a process that never starts (a refused start) must not keep the test's process alive.
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before starting:\n${output.stdout}${output.stderr}`));
    });
    child.stdout.on('data', () => {
      const match = /Swagger UI: (http:\/\/[^/\s]+)\/docs/.exec(output.stdout);
      if (match && (!options.readyWhen || options.readyWhen.test(output.stdout))) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  ready.catch(() => {}); // a caller that waits only for the exit does not see it rejected
  /** Kills the process and every process it started: a server run through npm must not outlive a failed test. */
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // The group has ended already.
    }
  };
  return { child, output, exited, ready, killGroup };
}

let bundleBuilt = false;

/**
 * Builds dist/ as npm start does (scripts/build.mjs), once per process: the files of test/end-to-end
 * share one (test/by-folder/end-to-end.test.ts), and the sources do not change meanwhile.
 */
export function buildBundle(): void {
  if (bundleBuilt) return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: projectPath() });
  bundleBuilt = true;
}
