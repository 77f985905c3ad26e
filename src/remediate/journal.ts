// The apply journal (`plan.json.journal`): append-only JSON lines, fsync'd before and after every write,
// so a killed apply can resume or roll back from exactly what reached AWS.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { SIGNET_VERSION } from '../version.js';
import type { Plan } from './plan.js';

export type Phase =
  | 'begin'
  | 'done'
  | 'skipped'
  | 'failed'
  | 'stale'
  | 'rollback-begin'
  | 'rollback-done'
  | 'rollback-skipped'
  | 'rollback-conflict'
  | 'rollback-failed';

export interface JournalHeader {
  type: 'header';
  planId: string;
  stepsHash: string;
  signetVersion: string;
  time: string;
}

export interface JournalEntry {
  type: 'step';
  time: string;
  stepId: string;
  phase: Phase;
  /** The live state read before acting. */
  observed?: unknown;
  /** What the step produced (the ARN of a created resource). */
  output?: string;
  /** Error name and message for failed/stale/conflict entries. */
  error?: string;
  /** CloudTrail-matchable request id of the write, where AWS returned one. */
  requestId?: string;
}

export function journalPath(planFile: string): string {
  return `${planFile}.journal`;
}

export interface JournalState {
  header?: JournalHeader;
  entries: JournalEntry[];
  /** Last phase per step. */
  last: Map<string, JournalEntry>;
  /** Steps with a `begin` (we may have written). */
  begun: Set<string>;
  /** Outputs per step (from done/skipped entries). */
  outputs: Map<string, string>;
  /** The last line was cut short by a kill (ignored). */
  truncatedTail: boolean;
}

export function readJournal(file: string): JournalState {
  const state: JournalState = {
    entries: [],
    last: new Map(),
    begun: new Set(),
    outputs: new Map(),
    truncatedTail: false,
  };
  if (!existsSync(file)) return state;
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let parsed: JournalHeader | JournalEntry;
    try {
      parsed = JSON.parse(line) as JournalHeader | JournalEntry;
    } catch (err) {
      // Only the final line can be half-written (the process died inside write()).
      const isLast = lines.slice(i + 1).every((l) => !l.trim());
      if (isLast) {
        state.truncatedTail = true;
        return;
      }
      throw new UsageError(`journal ${file} line ${i + 1} is not valid JSON; it was edited or damaged`, {
        cause: err,
      });
    }
    if (parsed.type === 'header') {
      state.header = parsed;
      return;
    }
    state.entries.push(parsed);
    state.last.set(parsed.stepId, parsed);
    if (parsed.phase === 'begin') state.begun.add(parsed.stepId);
    if (parsed.output) state.outputs.set(parsed.stepId, parsed.output);
  });
  return state;
}

/** Fault injection for the kill tests: SIGKILL this process at the Nth journal/write boundary. */
let faultPoints = 0;
const killAt = Number(process.env.SIGNET_FAULT_KILL_AT ?? 0);
export function faultPoint(): void {
  if (!killAt) return;
  faultPoints += 1;
  if (faultPoints === killAt) process.kill(process.pid, 'SIGKILL');
}

export class Journal {
  private readonly fd: number;

  private constructor(
    readonly file: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Opens for appending; writes the header when the journal is new. */
  static open(file: string, plan: Plan): Journal {
    const isNew = !existsSync(file);
    let fd: number;
    try {
      fd = openSync(file, 'a', 0o600);
    } catch (err) {
      throw new UsageError(
        `cannot open journal ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}; the plan's directory must be writable`,
        { cause: err },
      );
    }
    const journal = new Journal(file, fd);
    if (isNew) {
      journal.write({
        type: 'header',
        planId: plan.planId,
        stepsHash: plan.stepsHash,
        signetVersion: SIGNET_VERSION,
        time: new Date().toISOString(),
      });
    } else {
      // A killed writer may have left half a line: start on a fresh one.
      const text = readFileSync(file, 'utf8');
      if (text.length && !text.endsWith('\n')) writeSync(fd, '\n');
    }
    return journal;
  }

  private write(record: JournalHeader | JournalEntry): void {
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
    fsyncSync(this.fd);
  }

  append(entry: Omit<JournalEntry, 'type' | 'time'>): void {
    this.write({ type: 'step', time: new Date().toISOString(), ...entry });
    faultPoint();
  }

  close(): void {
    closeSync(this.fd);
  }
}
