/** @module logger: structured logs (pino) on stderr, so stdout stays free for results. */
import { pino } from 'pino';

export type Logger = pino.Logger;

/** Secrets that must never reach a log line, wherever they hide in a logged object. */
const REDACTED_PATHS = ['token', '*.token', 'config.discordToken', '*.authorization', 'headers.authorization'];

/** Logs go to stderr unless another destination is given (tests read what was logged). */
export function createLogger(level: string, destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}
