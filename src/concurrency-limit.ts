/**
 * @module concurrency-limit: runs async tasks at most `max` at a time, the rest waiting in arrival
 * order. Searches use it so a burst of questions does not start hundreds of searches at once,
 * whose callbacks would crowd out everything else the process must do promptly.
 */

export type Limited = <T>(task: () => Promise<T>) => Promise<T>;

export function limitConcurrency(max: number): Limited {
  let running = 0;
  const waiting: (() => void)[] = [];
  // A finishing task hands its slot straight to the next in line, so `running` never overshoots.
  const release = (): void => {
    const resume = waiting.shift();
    if (resume) resume();
    else running -= 1;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
