/** @module log-capture: a logger whose JSON lines are kept in memory, so tests can read what was logged. */
import { type Logger, createLogger } from '../../src/logger.js';

export interface LoggedLine {
  level: number;
  msg?: string;
  [field: string]: unknown;
}

export interface LogCapture {
  logger: Logger;
  lines: LoggedLine[];
  /** Everything logged, as written. */
  text(): string;
  /** Lines whose message is `msg`. */
  find(msg: string): LoggedLine[];
  /** The first line, already logged or still to come, with message `msg` that matches `predicate`. */
  waitFor(msg: string, predicate?: (line: LoggedLine) => boolean, timeoutMs?: number): Promise<LoggedLine>;
}

export function captureLogs(level = 'debug'): LogCapture {
  const raw: string[] = [];
  const lines: LoggedLine[] = [];
  const waiters = new Set<(line: LoggedLine) => void>();
  const logger = createLogger(level, {
    write(text: string) {
      raw.push(text);
      const line = JSON.parse(text) as LoggedLine;
      lines.push(line);
      for (const waiter of waiters) waiter(line);
    },
  });
  const find = (msg: string): LoggedLine[] => lines.filter((line) => line.msg === msg);
  const waitFor = (msg: string, predicate: (line: LoggedLine) => boolean = () => true, timeoutMs = 5_000): Promise<LoggedLine> =>
    new Promise((resolve, reject) => {
      const matches = (line: LoggedLine): boolean => line.msg === msg && predicate(line);
      const found = lines.find(matches);
      if (found) return resolve(found);
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no "${msg}" log line within ${timeoutMs} ms`));
      }, timeoutMs);
      function check(line: LoggedLine): void {
        if (!matches(line)) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(line);
      }
      waiters.add(check);
    });
  return { logger, lines, text: () => raw.join(''), find, waitFor };
}
