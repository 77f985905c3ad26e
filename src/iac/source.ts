// Reading template text into plain values that remember where they came from: YAML (with CloudFormation
// short-form intrinsics), JSON (positions from a located parser, on demand), line/column arithmetic and inline suppressions.
import { type ParseError, parse, visit } from 'jsonc-parser';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { relaxFlowIndentation } from './loose-yaml.js';

/** 1-based line and column. */
export interface Pos {
  line: number;
  column: number;
}

/** A file that could not be read as what it claims to be; becomes a `parseErrors[]` entry. */
export class IacParseError extends Error {
  /** The file it is about, when not the file being scanned (a module's other file, say). */
  file?: string;
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'IacParseError';
  }
}

/** An evaluation budget (steps, value size, depth) was exceeded: the file's error, never a hang. */
export class IacBudgetError extends IacParseError {
  constructor(message: string, line?: number, column?: number, file?: string) {
    super(message, line, column);
    this.name = 'IacBudgetError';
    if (file !== undefined) this.file = file;
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

/**
 * Budgets for YAML: nodes in the document (aliases counted as what they expand to), and the expansion
 * aliases may add. The second is the `yaml` library's `maxAliasCount` guard, counted in nodes: a 1 KB
 * template whose aliases nest ten levels deep would otherwise stand for billions of nodes.
 */
export const MAX_YAML_NODES = 5_000_000;
export const MAX_ALIAS_EXPANSION = 1_000_000;

/** Parses YAML (or JSON, which is YAML) keeping key positions; short-form tags become long-form intrinsics. */
export function parseYamlLocated(raw: string): Located {
  const text = stripBom(raw);
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
  // Anchors by name, in document order (a later `&a` redefines `*a` from there on). An alias reuses the
  // converted value, so conversion is linear in the text; the expansion an alias stands for is counted
  // so that walks over the value (which see a tree) stay bounded too.
  const anchors = new Map<string, { value: unknown; size: number } | 'open'>();
  let nodes = 0;
  let aliasExpansion = 0;
  const convert = (node: unknown): unknown => {
    if (node === null || node === undefined) return null;
    let out: unknown;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      const at = node.range ? linePos(node.range[0]) : undefined;
      if (target === undefined)
        throw new IacParseError(`YAML alias *${node.source} has no anchor before it`, at?.line, at?.column);
      if (target === 'open')
        throw new IacParseError(`YAML alias *${node.source} is inside its own anchor`, at?.line, at?.column);
      aliasExpansion += target.size;
      nodes += target.size;
      if (aliasExpansion > MAX_ALIAS_EXPANSION)
        throw new IacParseError(
          `YAML aliases expand to more than ${MAX_ALIAS_EXPANSION.toLocaleString('en')} nodes (an alias bomb?); not scanned`,
          at?.line,
          at?.column,
        );
      return target.value;
    }
    if (++nodes > MAX_YAML_NODES)
      throw new IacParseError(
        `YAML document has more than ${MAX_YAML_NODES.toLocaleString('en')} nodes; not scanned`,
      );
    const anchor = (node as Node).anchor;
    const before = nodes - 1;
    if (anchor) anchors.set(anchor, 'open');
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
    if (anchor) anchors.set(anchor, { value: out, size: nodes - before });
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
 * Parses JSON with the native parser (fast, exact error messages); key positions come from one pass of
 * `jsonc-parser`'s located parser over the same text, made on the first position asked for and attached
 * to the very objects `JSON.parse` returned — so a position can never be a sibling's key with the same
 * name. A UTF-8 byte order mark is accepted, as CloudFormation accepts it.
 */
export function parseJsonLocated(raw: string): Located {
  const text = stripBom(raw);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    // V8 does not always say where; the located parser does.
    const errors: ParseError[] = [];
    parse(text, errors, { disallowComments: true, allowTrailingComma: false });
    const lc = /line (\d+) column (\d+)/.exec(message);
    const at =
      errors[0]?.offset ??
      (/position (\d+)/.exec(message) ? Number(/position (\d+)/.exec(message)![1]) : undefined);
    const pos = lc
      ? { line: Number(lc[1]), column: Number(lc[2]) }
      : at !== undefined
        ? new LineIndex(text).pos(at)
        : undefined;
    throw new IacParseError(
      `invalid JSON: ${message.replace(/ in JSON at position.*$/, '').replace(/, "[\s\S]*" is not valid JSON$/, '')}`,
      pos?.line,
      pos?.column,
    );
  }
  const lines = new LineIndex(text);
  let offsets: WeakMap<object, Map<string, number>> | undefined;
  const keyPos = (obj: unknown, key: string): Pos | undefined => {
    if (!obj || typeof obj !== 'object') return undefined;
    offsets ??= locateJsonKeys(text, value);
    const offset = offsets.get(obj)?.get(key);
    return offset === undefined ? undefined : lines.pos(offset);
  };
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
 * Objects deeper than this below the root get no key positions: the adapters ask for at most
 * `resources.Resources.<id>.Properties.<prop>` (a key of a depth-4 object), and a 50 MB template
 * has millions of deeper objects (tags, code, environment) whose positions would only cost memory.
 */
const MAX_LOCATED_DEPTH = 4;

/** Offsets of the keys of the objects of `value` (the result of `JSON.parse(text)`) down to MAX_LOCATED_DEPTH. */
function locateJsonKeys(text: string, value: unknown): WeakMap<object, Map<string, number>> {
  const out = new WeakMap<object, Map<string, number>>();
  interface Frame {
    value: unknown;
    keys?: Map<string, number>;
    key?: string;
    index: number;
  }
  const stack: Frame[] = [];
  let started = false;
  // The value the next object/array/literal of the text stands for, in the parsed value.
  const next = (): unknown => {
    if (!started) {
      started = true;
      return value;
    }
    const top = stack[stack.length - 1];
    if (!top?.value || typeof top.value !== 'object') return undefined;
    if (Array.isArray(top.value)) return top.value[top.index++];
    return top.key === undefined ? undefined : (top.value as Record<string, unknown>)[top.key];
  };
  visit(
    text,
    {
      onObjectBegin() {
        const v = next();
        let keys: Map<string, number> | undefined;
        if (stack.length <= MAX_LOCATED_DEPTH && v && typeof v === 'object') {
          keys = new Map();
          out.set(v, keys);
        }
        stack.push({ value: v, ...(keys ? { keys } : {}), index: 0 });
      },
      onObjectProperty(name, offset) {
        const top = stack[stack.length - 1]!;
        top.key = name;
        // JSON.parse keeps the last of duplicate keys; so do positions.
        top.keys?.set(name, offset);
      },
      onObjectEnd() {
        stack.pop();
      },
      onArrayBegin() {
        stack.push({ value: next(), index: 0 });
      },
      onArrayEnd() {
        stack.pop();
      },
      onLiteralValue() {
        next();
      },
    },
    { disallowComments: true },
  );
  return out;
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
