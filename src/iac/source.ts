// Reading template text into plain values that remember where they came from: YAML (with CloudFormation
// short-form intrinsics), JSON (positions found lazily), line/column arithmetic and inline suppressions.

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { relaxFlowIndentation } from './loose-yaml.js';

/** 1-based line and column. */
export interface Pos {
  line: number;
  column: number;
}

/** A file that could not be read as what it claims to be; becomes a `parseErrors[]` entry. */
export class IacParseError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'IacParseError';
  }
}

/** Offsets of line starts, for offset → line/column without re-scanning the text. */
export class LineIndex {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}

  pos(offset: number): Pos {
    if (!this.starts) {
      const starts = [0];
      let i = this.text.indexOf('\n');
      while (i !== -1) {
        starts.push(i + 1);
        i = this.text.indexOf('\n', i + 1);
      }
      this.starts = starts;
    }
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }
}

/** Drops a leading UTF-8 byte order mark, which CloudFormation accepts and `JSON.parse` does not. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Where keys of a parsed document are: `keyPos(obj, key)` for any object of the parsed value. */
export interface Located {
  value: unknown;
  keyPos(obj: unknown, key: string): Pos | undefined;
  /** Position of a key reached by a path of keys from the root (cheaper for JSON). */
  pathPos(path: readonly string[]): Pos | undefined;
}

const INTRINSIC_SHORT: Record<string, string> = { '!Ref': 'Ref', '!Condition': 'Condition' };

function intrinsic(tag: string, value: unknown): unknown {
  const name = INTRINSIC_SHORT[tag] ?? `Fn::${tag.slice(1)}`;
  if (name === 'Fn::GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { [name]: dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [name]: value };
}

/** Parses YAML (or JSON, which is YAML) keeping key positions; short-form tags become long-form intrinsics. */
export function parseYamlLocated(text: string): Located {
  let lineCounter = new LineCounter();
  const options = { uniqueKeys: false, prettyErrors: false, strict: false } as const;
  let doc = parseDocument(text, { lineCounter, ...options });
  let shift: Map<number, number> | undefined;
  if (doc.errors.length > 0) {
    // PyYAML (what the SAM CLI reads templates with) accepts loosely indented flow collections and
    // quoted scalars: retry with those re-indented, positions mapped back; otherwise the first error.
    const relaxed = relaxFlowIndentation(text);
    const retryCounter = new LineCounter();
    const retry = relaxed && parseDocument(relaxed.text, { lineCounter: retryCounter, ...options });
    if (retry && retry.errors.length === 0) {
      doc = retry;
      lineCounter = retryCounter;
      shift = relaxed.shift;
    } else {
      const err = doc.errors[0]!;
      const at = lineCounter.linePos(err.pos[0]);
      throw new IacParseError(`invalid YAML: ${err.message.split('\n')[0]}`, at.line, at.col);
    }
  }
  const linePos = (offset: number): Pos => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: Math.max(1, p.col - (shift?.get(p.line) ?? 0)) };
  };
  const positions = new WeakMap<object, Map<string, Pos>>();
  const anchors = new Map<Node, unknown>();
  let budget = 2_000_000;
  const convert = (node: unknown): unknown => {
    if (--budget < 0) throw new IacParseError('YAML document expands to too many nodes (alias bomb?)');
    if (node === null || node === undefined) return null;
    let out: unknown;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      return target ? (anchors.get(target as Node) ?? convert(target)) : null;
    }
    if (isScalar(node)) {
      out = node.value;
    } else if (isMap(node)) {
      const obj: Record<string, unknown> = {};
      const where = new Map<string, Pos>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(convert(keyNode));
        if (key === '<<' && pair.value) {
          const merged = convert(pair.value);
          for (const source of Array.isArray(merged) ? merged : [merged]) {
            if (source && typeof source === 'object') {
              for (const [k, v] of Object.entries(source)) if (!(k in obj)) obj[k] = v;
            }
          }
          continue;
        }
        obj[key] = convert(pair.value);
        const range = (keyNode as Node | null)?.range;
        if (range) where.set(key, linePos(range[0]));
      }
      positions.set(obj, where);
      out = obj;
    } else if (isSeq(node)) {
      out = node.items.map((item) => convert(item));
    } else {
      out = null;
    }
    const tag = (node as Node).tag;
    if (tag?.startsWith('!') && !tag.startsWith('!!')) out = intrinsic(tag, out);
    if ((node as Node).anchor) anchors.set(node as Node, out);
    return out;
  };
  const value = convert(doc.contents);
  const keyPos = (obj: unknown, key: string): Pos | undefined =>
    obj && typeof obj === 'object' ? positions.get(obj)?.get(key) : undefined;
  return {
    value,
    keyPos,
    pathPos(path) {
      let obj: unknown = value;
      for (let i = 0; i < path.length - 1; i++) {
        if (!obj || typeof obj !== 'object') return undefined;
        obj = (obj as Record<string, unknown>)[path[i]!];
      }
      return keyPos(obj, path[path.length - 1]!);
    },
  };
}

/**
 * Parses JSON with the native parser; positions are looked up on demand by searching the text for the
 * quoted key followed by a colon, narrowing along the path. Good enough for SARIF regions, and keeps a
 * JSON scan close to bare `JSON.parse` speed.
 */
export function parseJsonLocated(text: string): Located {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const lc = /line (\d+) column (\d+)/.exec(message);
    const at = /position (\d+)/.exec(message);
    const pos = lc
      ? { line: Number(lc[1]), column: Number(lc[2]) }
      : at
        ? new LineIndex(text).pos(Number(at[1]))
        : undefined;
    throw new IacParseError(
      `invalid JSON: ${message.replace(/ in JSON at position.*$/, '')}`,
      pos?.line,
      pos?.column,
    );
  }
  const lines = new LineIndex(text);
  const findKey = (key: string, from: number): number => {
    const needle = JSON.stringify(key);
    let i = text.indexOf(needle, from);
    while (i !== -1) {
      let j = i + needle.length;
      while (j < text.length && (text[j] === ' ' || text[j] === '\n' || text[j] === '\r' || text[j] === '\t'))
        j++;
      if (text[j] === ':') return i;
      i = text.indexOf(needle, i + 1);
    }
    return -1;
  };
  const cache = new Map<string, number>();
  let indexed = false;
  // One pass over the text records the keys of the top two levels (e.g. every resource id), so
  // locating N resources does not search the text N times.
  const indexTopKeys = () => {
    indexed = true;
    let depth = 0;
    let parent = '';
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        const start = i;
        for (i++; i < text.length; i++) {
          const d = text.charCodeAt(i);
          if (d === 92) i++;
          else if (d === 34) break;
        }
        if (depth === 1 || depth === 2) {
          let j = i + 1;
          while (j < text.length && text.charCodeAt(j) <= 32) j++;
          if (text.charCodeAt(j) === 58) {
            const key = JSON.parse(text.slice(start, i + 1)) as string;
            if (depth === 1) {
              parent = key;
              if (!cache.has(key)) cache.set(key, start);
            } else {
              const cacheKey = `${parent}\u0000${key}`;
              if (!cache.has(cacheKey)) cache.set(cacheKey, start);
            }
          }
        }
      } else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) depth--;
    }
  };
  const pathOffset = (path: readonly string[]): number => {
    if (!indexed) indexTopKeys();
    const cacheKey = path.join('\u0000');
    const cached = cache.get(cacheKey);
    if (cached !== undefined) return cached;
    if (path.length <= 2) return -1;
    const parent = path.length > 1 ? pathOffset(path.slice(0, -1)) : 0;
    const offset = parent === -1 ? -1 : findKey(path[path.length - 1]!, parent);
    cache.set(cacheKey, offset);
    return offset;
  };
  return {
    value,
    keyPos: () => undefined,
    pathPos(path) {
      const offset = pathOffset(path);
      return offset === -1 ? undefined : lines.pos(offset);
    },
  };
}

/** An inline `signet:ignore RULE[,RULE] reason` comment. */
export interface SuppressionComment {
  line: number;
  ruleIds: string[];
  reason: string;
}

const SUPPRESS_RE =
  /(?:#|\/\/|\/\*)\s*signet:ignore\s+([A-Za-z0-9*_-]+(?:\s*,\s*[A-Za-z0-9*_-]+)*)\s*(.*?)\s*(?:\*\/)?\s*$/;

/** Finds suppression comments (`# signet:ignore SGN-002 reason`, also `//`); cheap when there are none. */
export function findSuppressionComments(text: string): {
  comments: SuppressionComment[];
  commentLines: Set<number>;
} {
  const comments: SuppressionComment[] = [];
  const commentLines = new Set<number>();
  if (!text.includes('signet:ignore')) return { comments, commentLines };
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || trimmed.startsWith('//') || trimmed.startsWith('/*'))
      commentLines.add(i + 1);
    const match = SUPPRESS_RE.exec(raw);
    if (!match) return;
    comments.push({
      line: i + 1,
      ruleIds: match[1]!.split(',').map((s) => s.trim().toUpperCase()),
      reason: match[2]!.replace(/^[-:—]\s*/, '').trim(),
    });
  });
  return { comments, commentLines };
}

/** Comments on the resource's line or in the comment block directly above it. */
export function commentsForLine(
  found: { comments: SuppressionComment[]; commentLines: Set<number> },
  line: number,
  lastLine = line,
): SuppressionComment[] {
  if (found.comments.length === 0) return [];
  let top = line;
  while (found.commentLines.has(top - 1)) top--;
  return found.comments.filter((c) => c.line >= top && c.line <= lastLine);
}
