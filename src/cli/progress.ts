/** @module progress: index-build progress on stderr, as a bar on a terminal and as plain lines otherwise. */
import cliProgress from 'cli-progress';
import type { ChangeProgress } from '../app.js';

const PHASE_LABELS: Readonly<Record<ChangeProgress['phase'], string>> = {
  fetching: 'Fetching the article',
  reading: 'Reading the corpus',
  embedding: 'Embedding passages',
  indexing: 'Building the search indexes',
  saving: 'Saving the index',
};

/** Returns a progress callback writing to `stream`. */
export function progressReporter(stream: NodeJS.WriteStream): (progress: ChangeProgress) => void {
  const interactive = stream.isTTY === true;
  let bar: cliProgress.SingleBar | undefined;
  let phase: ChangeProgress['phase'] | undefined;
  return (progress) => {
    if (progress.phase === 'fetching') {
      phase = progress.phase;
      stream.write(`${PHASE_LABELS.fetching}…\n`);
      return;
    }
    if (progress.phase !== phase) {
      bar?.stop();
      bar = undefined;
      phase = progress.phase;
      if (phase === 'embedding' && interactive && progress.total > 0) {
        bar = new cliProgress.SingleBar(
          { stream, format: `${PHASE_LABELS.embedding} [{bar}] {value}/{total} passages, {eta}s left`, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(progress.total, 0);
      } else if (phase !== 'embedding' || progress.total > 0) {
        stream.write(`${PHASE_LABELS[phase]}${phase === 'embedding' ? ` (${progress.total} passages)` : ''}…\n`);
      }
    }
    bar?.update(progress.done);
    if (bar && progress.done >= progress.total) {
      bar.stop();
      bar = undefined;
    }
  };
}
