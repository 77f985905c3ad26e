// Lets a command give back the memory of a phase that just ended (the parsed templates of `signet iac`
// once the snapshot is built) before the next phase allocates: V8 sizes its heap from what was live at
// its last full collection, so a collection at the boundary keeps the peak near what is really live.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/**
 * A full garbage collection, as `node --expose-gc` gives it, without that flag on the command line;
 * only when the heap holds more than `aboveBytes` (on a small heap it would only cost time).
 */
export function collectGarbage(aboveBytes = 0): void {
  if (getHeapStatistics().used_heap_size < aboveBytes) return;
  if (!collect) {
    const given = typeof globalThis.gc === 'function' ? (globalThis.gc as () => void) : undefined;
    if (given) collect = given;
    else {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
      setFlagsFromString('--no-expose-gc');
    }
  }
  // V8 keeps the input of the last successful regular expression match (RegExp.lastMatch) alive:
  // after a scan that is a whole template's text. Match a short string so the text can go.
  /^/.test('');
  collect();
}

let lean = false;

/**
 * Asks V8 to keep its heap small from now on (`--optimize-for-size`: it grows the heap by smaller
 * steps and collects sooner), trading ~20 % of CPU time for a peak near what is live. For a command
 * about to work on a large input; process-wide, and set once.
 */
export function preferSmallHeap(): void {
  if (lean) return;
  lean = true;
  setFlagsFromString('--optimize-for-size');
}
