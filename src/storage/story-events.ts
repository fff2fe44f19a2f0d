/**
 * @module story-events: what one replica tells the others through PostgreSQL's LISTEN/NOTIFY: a story
 * made, deleted, or given a new snapshot. A notification is a hint, not the record: the tables are;
 * a replica that was disconnected (and missed some) rereads them when it reconnects.
 */
import pg from 'pg';
import { z } from 'zod';
import type { Logger } from '../logger.js';

/** The channel every story event goes out on. */
export const STORY_EVENTS_CHANNEL = 'story_events';

const storyEvent = z.discriminatedUnion('event', [
  z.object({ event: z.literal('created'), story: z.string() }),
  z.object({ event: z.literal('deleted'), story: z.string() }),
  z.object({ event: z.literal('published'), story: z.string(), snapshot: z.number() }),
]);
export type StoryEvent = z.infer<typeof storyEvent>;

/** SQL that sends `event` (a json_build_object over the statement's own parameters) when the transaction commits. */
export function notifyStoryEvent(eventJson: string): string {
  return `pg_notify('${STORY_EVENTS_CHANNEL}', ${eventJson}::text)`;
}

export interface StoryEventHandlers {
  onEvent(event: StoryEvent): void;
  /** Connected again after a loss: events may have been missed meanwhile. */
  onReconnected(): void;
}

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;

/** Listens on one dedicated connection (a pool's connections come and go), reconnecting with backoff; resolves once listening. */
export async function listenForStoryEvents(url: string, logger: Logger, handlers: StoryEventHandlers): Promise<{ close(): Promise<void> }> {
  let client: pg.Client | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let delay = RETRY_MIN_MS;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    next.on('notification', (message) => {
      if (message.channel !== STORY_EVENTS_CHANNEL || message.payload === undefined) return;
      let parsed: ReturnType<typeof storyEvent.safeParse>;
      try {
        parsed = storyEvent.safeParse(JSON.parse(message.payload));
      } catch {
        parsed = storyEvent.safeParse(undefined);
      }
      if (parsed.success) handlers.onEvent(parsed.data);
      else logger.warn({ payload: message.payload.slice(0, 200) }, 'ignored a story event that is not one');
    });
    next.on('error', (error) => {
      logger.warn({ err: error }, 'lost the connection that listens for story events; reconnecting');
      void next.end().catch(() => undefined);
      if (client === next) client = undefined;
      retry();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${STORY_EVENTS_CHANNEL}`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    client = next;
    delay = RETRY_MIN_MS;
  };

  const retry = (): void => {
    if (closed || retryTimer !== undefined) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().then(
        () => {
          logger.info('listening for story events again');
          handlers.onReconnected();
        },
        (error: unknown) => {
          logger.warn({ err: error, retryInMs: delay }, 'could not listen for story events yet');
          delay = Math.min(delay * 2, RETRY_MAX_MS);
          retry();
        },
      );
    }, delay);
    retryTimer.unref();
  };

  await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      await client?.end().catch(() => undefined);
    },
  };
}
