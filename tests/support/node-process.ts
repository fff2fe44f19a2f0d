/** @module node-process: a Node.js child process with its output captured, for tests of the entry points. */
import { type ChildProcess, spawn } from 'node:child_process';

export interface Running {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  output: () => string;
  exited: Promise<number | null>;
}

export function startNodeProcess(args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Resolves once `text` has appeared in the output `times` times. */
export async function waitForOutput(running: Running, text: string, timeoutMs = 30_000, times = 1): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (running.output().split(text).length - 1 < times) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}" in:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
