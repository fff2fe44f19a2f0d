/** @module logger: structured logs (pino) on stderr, so stdout stays free for results. */
import { pino } from 'pino';

export type Logger = pino.Logger;

/** Secrets that must never reach a log line, wherever they hide in a logged object. */
const REDACTED_PATHS = ['token', '*.token', 'config.discordToken', '*.authorization', 'headers.authorization'];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, pino.destination(2));
}
