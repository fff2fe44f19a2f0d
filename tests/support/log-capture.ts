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
}

export function captureLogs(level = 'debug'): LogCapture {
  const raw: string[] = [];
  const lines: LoggedLine[] = [];
  const logger = createLogger(level, {
    write(line: string) {
      raw.push(line);
      lines.push(JSON.parse(line) as LoggedLine);
    },
  });
  return { logger, lines, text: () => raw.join(''), find: (msg) => lines.filter((line) => line.msg === msg) };
}
