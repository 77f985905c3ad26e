// Reading template text into plain values that remember where they came from: YAML (with CloudFormation
// short-form intrinsics), JSON (positions from a located parser, on demand), line/column arithmetic and inline suppressions.
import { type ParseError, parse } from 'jsonc-parser';
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
  private starts: Int32Array | undefined;
  constructor(private text: string | undefined) {}

  /** Finds the line starts now and lets go of the text (a large template's text is tens of MB). */
  detach(): this {
    this.lineStarts();
    this.text = undefined;
    return this;
  }

  /** Offset of the start of each line (0-based line numbers), counted once and kept as 4 bytes a line. */
  lineStarts(): Int32Array {
    if (this.starts) return this.starts;
    const text = this.text ?? '';
    let count = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
    const starts = new Int32Array(count);
    let n = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts[n++] = i + 1;
    this.starts = starts;
    return starts;
  }

  pos(offset: number): Pos {
    const starts = this.lineStarts();
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

/** Objects with more keys than this keep their key offsets in a Map; smaller ones in the shared array. */
const SMALL_OBJECT_KEYS = 16;

/**
 * Offsets of the keys of parsed objects (numbers, not positions: a large template has millions of keys).
 * A Map per object costs ~200 bytes, which for a 50 MB template is more than the parsed values; so a
 * small object has a run in one shared Int32Array instead, `[count, offset of key 1, …]` in the order
 * `Object.keys` gives, and only its start is kept per object. A run whose count no longer matches the
 * object's keys (an object changed after parsing) answers "unknown", never a wrong position.
 */
export class KeyOffsets {
  private readonly runs = new WeakMap<object, number>();
  private readonly large = new WeakMap<object, Map<string, number>>();
  private data = new Int32Array(256);
  private used = 0;

  /**
   * Records where the keys of `obj` are: `keys[i]` at `offsets[i]`, in document order (of a key given
   * twice, the last is kept, as parsers keep the last value); keys of `obj` not listed have no position.
   */
  record(obj: object, keys: readonly string[], offsets: readonly number[]): void {
    const names = Object.keys(obj);
    if (names.length > SMALL_OBJECT_KEYS) {
      const given = new Map<string, number>();
      for (let i = 0; i < keys.length; i++) given.set(keys[i]!, offsets[i]!);
      // Keyed by the object's own (internalised) property names: a key string from a parser may be a
      // slice of the text, and would keep the whole text alive as long as the positions.
      const map = new Map<string, number>();
      for (const name of names) {
        const offset = given.get(name);
        if (offset !== undefined) map.set(name, offset);
      }
      this.large.set(obj, map);
      return;
    }
    if (this.used + names.length + 1 > this.data.length) {
      const bigger = new Int32Array(Math.max(this.data.length * 2, this.used + names.length + 1));
      bigger.set(this.data.subarray(0, this.used));
      this.data = bigger;
    }
    const start = this.used;
    this.data[start] = names.length;
    for (let n = 0; n < names.length; n++) {
      const i = keys.lastIndexOf(names[n]!);
      this.data[start + 1 + n] = i === -1 ? -1 : offsets[i]!;
    }
    this.used += names.length + 1;
    this.runs.set(obj, start);
  }

  get(obj: object, key: string): number | undefined {
    const start = this.runs.get(obj);
    if (start === undefined) return this.large.get(obj)?.get(key);
    const names = Object.keys(obj);
    if (names.length !== this.data[start]) return undefined;
    const n = names.indexOf(key);
    const offset = n === -1 ? -1 : this.data[start + 1 + n]!;
    return offset === -1 ? undefined : offset;
  }
}

/**
 * Strings of one document, each kept once and as its own copy. A string the `yaml` library returns is
 * often a slice of the text: one such slice kept by the snapshot (a function's name) would keep the
 * whole file alive after the scan. Templates also repeat the same values thousands of times
 * (`AWS::Lambda::Function`, `nodejs22.x`, tag values).
 */
class StringTable {
  private readonly strings = new Map<string, string>();
  own(s: string): string {
    let kept = this.strings.get(s);
    if (kept === undefined) {
      // V8 copies strings shorter than 13 characters when slicing; longer ones are slices of the text.
      kept = s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
      // Values that repeat show up early; a table of every distinct value (names, keys of S3 objects)
      // would cost more than it saves.
      if (this.strings.size < MAX_SHARED_STRINGS) this.strings.set(kept, kept);
    }
    return kept;
  }
}

/** Distinct strings a StringTable keeps for sharing; later new values are copied, not kept. */
const MAX_SHARED_STRINGS = 16_384;

/** Shared by the pieces of one document: nodes converted, the expansion aliases added, its strings. */
interface YamlBudget {
  nodes: number;
  aliasExpansion: number;
  strings: StringTable;
}

const newBudget = (): YamlBudget => ({ nodes: 0, aliasExpansion: 0, strings: new StringTable() });

/**
 * Objects deeper than this below the root get no key positions: the adapters ask for at most
 * `resources.Resources.<id>.Properties.<prop>` (a key of a depth-4 object), and a 50 MB template
 * has millions of deeper objects (tags, code, environment) whose positions would only cost memory.
 */
const MAX_LOCATED_DEPTH = 4;

/**
 * `obj[key] = value` as JSON.parse does it: a key `__proto__` is an own property, not the object's
 * prototype (through which `Properties: {__proto__: {CodeSigningConfigArn: …}}` would seem to set a
 * property CloudFormation never sees).
 */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** Converts a parsed YAML document into plain values, recording key positions in `positions`. */
function convertYaml(
  doc: ReturnType<typeof parseDocument>,
  positions: KeyOffsets,
  budget: YamlBudget,
  linePos: (offset: number) => Pos,
  place: { base?: number; depth?: number; maxDepth?: number; piece?: boolean } = {},
): unknown {
  const base = place.base ?? 0;
  const rootDepth = place.depth ?? 0;
  const maxDepth = place.maxDepth ?? Number.POSITIVE_INFINITY;
  // Anchors by name, in document order (a later `&a` redefines `*a` from there on). An alias reuses the
  // converted value, so conversion is linear in the text; the expansion an alias stands for is counted
  // so that walks over the value (which see a tree) stay bounded too.
  const anchors = new Map<string, { value: unknown; size: number } | 'open'>();
  const convert = (node: unknown, depth: number): unknown => {
    if (node === null || node === undefined) return null;
    let out: unknown;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      const at = node.range ? linePos(node.range[0]) : undefined;
      if (target === undefined)
        throw new IacParseError(`YAML alias *${node.source} has no anchor before it`, at?.line, at?.column);
      if (target === 'open')
        throw new IacParseError(`YAML alias *${node.source} is inside its own anchor`, at?.line, at?.column);
      budget.aliasExpansion += target.size;
      budget.nodes += target.size;
      if (budget.aliasExpansion > MAX_ALIAS_EXPANSION)
        throw new IacParseError(
          `YAML aliases expand to more than ${MAX_ALIAS_EXPANSION.toLocaleString('en')} nodes (an alias bomb?); not scanned`,
          at?.line,
          at?.column,
        );
      return target.value;
    }
    if (++budget.nodes > MAX_YAML_NODES)
      throw new IacParseError(
        `YAML document has more than ${MAX_YAML_NODES.toLocaleString('en')} nodes; not scanned`,
      );
    const anchor = (node as Node).anchor;
    const before = budget.nodes - 1;
    if (anchor) anchors.set(anchor, 'open');
    if (isScalar(node)) {
      out = typeof node.value === 'string' ? budget.strings.own(node.value) : node.value;
    } else if (isMap(node)) {
      // A piece's own map only carries its keys over into the section (see parseYamlChunked). Built as
      // `{}`, each piece's first key (a resource's logical id) would be one more transition from V8's
      // empty-object map; past ~1,500 of them V8 stops sharing hidden classes, and every object made
      // afterwards (parsed values, the snapshot's tags) pays for a class of its own.
      const obj: Record<string, unknown> =
        place.piece && depth === rootDepth ? (Object.create(null) as Record<string, unknown>) : {};
      const located = depth <= maxDepth;
      const keys: string[] = [];
      const offsets: number[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(convert(keyNode, depth + 1));
        if (key === '<<' && pair.value) {
          const merged = convert(pair.value, depth + 1);
          for (const source of Array.isArray(merged) ? merged : [merged]) {
            if (source && typeof source === 'object') {
              for (const [k, v] of Object.entries(source)) if (!Object.hasOwn(obj, k)) setOwn(obj, k, v);
            }
          }
          continue;
        }
        setOwn(obj, key, convert(pair.value, depth + 1));
        const range = (keyNode as Node | null)?.range;
        if (range && located) {
          keys.push(key);
          offsets.push(base + range[0]);
        }
      }
      if (located) positions.record(obj, keys, offsets);
      out = obj;
    } else if (isSeq(node)) {
      out = node.items.map((item) => convert(item, depth + 1));
    } else {
      out = null;
    }
    const tag = (node as Node).tag;
    if (tag?.startsWith('!') && !tag.startsWith('!!')) out = intrinsic(tag, out);
    if (anchor) anchors.set(anchor, { value: out, size: budget.nodes - before });
    return out;
  };
  return convert(doc.contents, rootDepth);
}

function parseYamlWhole(
  text: string,
  positions: KeyOffsets,
  budget: YamlBudget,
): { value: unknown; toPos: (offset: number) => Pos } {
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
  return { value: convertYaml(doc, positions, budget, linePos), toPos: linePos };
}

/** YAML files at least this large are parsed piece by piece when they allow it (see parseYamlChunked). */
export const YAML_CHUNK_ABOVE = 1024 * 1024;

// Syntax that ties one part of a document to another (anchors, aliases, merge keys) or that makes
// column-0 lines mean something else (several documents, directives): such files are parsed whole.
const CROSS_REFERENCE = /(^|[\s[{,])[&*][^\s[\]{},]|^\s*<<\s*:|^(---|\.\.\.|%)/m;
const KEY_LINE = /^[^\s#\-[{?|>!%@`][^\n]*?:(\s|$)/;

/**
 * Parses a large block-mapping document one top-level key at a time, and a large top-level section
 * (Resources) one child at a time: the `yaml` library's document model (tens of times the text's size)
 * then exists for one piece at a time instead of the whole file. Gives up (undefined) on anything
 * unusual — anchors, several documents, a piece that does not parse alone — and the whole-document
 * parser, with its error messages and loose-indentation retry, takes over.
 */
function parseYamlChunked(text: string, lines: LineIndex, positions: KeyOffsets, above: number): unknown {
  // A single `---` starting the file (as many templates do) is only a marker.
  const marker = /^---[ \t]*(#.*)?\r?\n/.exec(text)?.[0].length ?? 0;
  if (CROSS_REFERENCE.test(marker ? text.slice(marker) : text)) return undefined;
  const budget = newBudget();
  // Line starts, and which lines begin a top-level key.
  const starts = lines.lineStarts();
  const lineText = (n: number) =>
    text.slice(starts[n]!, n + 1 < starts.length ? starts[n + 1]! - 1 : text.length);
  const keyLines: number[] = [];
  for (let n = marker ? 1 : 0; n < starts.length; n++) {
    const c = text[starts[n]!];
    if (c === undefined || c === ' ' || c === '\n' || c === '\r' || c === '#') continue;
    if (!KEY_LINE.test(lineText(n))) return undefined;
    keyLines.push(n);
  }
  // Anything but comments before the first key (an indented root, say) is left to the whole parser.
  if (keyLines.length === 0 || /[^\s#]/.test(text.slice(marker, starts[keyLines[0]!]!).replace(/#.*$/gm, '')))
    return undefined;
  const endOf = (line: number) => (line < starts.length ? starts[line]! : text.length);
  /**
   * One piece parsed alone, lines numbered as in the file; undefined when it does not parse alone.
   * `depth`: that of the object the piece's keys go into (the root, or a section such as Resources).
   */
  const piece = (fromLine: number, toLine: number, depth: number): Record<string, unknown> | undefined => {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text.slice(starts[fromLine]!, endOf(toLine)), {
      lineCounter,
      uniqueKeys: false,
      prettyErrors: false,
      strict: false,
    });
    if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
    const value = convertYaml(
      doc,
      positions,
      budget,
      (offset) => {
        const p = lineCounter.linePos(offset);
        return { line: p.line + fromLine, column: p.col };
      },
      { base: starts[fromLine]!, depth, maxDepth: MAX_LOCATED_DEPTH, piece: true },
    );
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  };
  /** An object assembled from pieces, with the offsets of its keys in document order. */
  interface Assembled {
    value: Record<string, unknown>;
    keys: string[];
    offsets: number[];
  }
  const assembled = (): Assembled => ({ value: {}, keys: [], offsets: [] });
  const merge = (into: Assembled, from: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(from)) {
      setOwn(into.value, k, v);
      const p = positions.get(from, k);
      if (p !== undefined) {
        into.keys.push(k);
        into.offsets.push(p);
      }
    }
  };
  const root = assembled();
  for (let i = 0; i < keyLines.length; i++) {
    const from = keyLines[i]!;
    const to = i + 1 < keyLines.length ? keyLines[i + 1]! : starts.length;
    const section = splitSection(from, to);
    if (section) {
      root.value[section.key] = section.value;
      root.keys.push(section.key);
      root.offsets.push(starts[from]!);
      continue;
    }
    const value = piece(from, to, 0);
    if (!value) return undefined;
    merge(root, value);
  }
  positions.record(root.value, root.keys, root.offsets);
  return root.value;

  /** A large `Key:` section whose children all start at one indentation, parsed child by child. */
  function splitSection(
    from: number,
    to: number,
  ): { key: string; value: Record<string, unknown> } | undefined {
    if (endOf(to) - starts[from]! < above / 4) return undefined;
    const header = /^([A-Za-z_][A-Za-z0-9_.-]*):\s*(#.*)?\r?$/.exec(lineText(from));
    if (!header) return undefined;
    let indent = -1;
    const childLines: number[] = [];
    for (let n = from + 1; n < to; n++) {
      const line = lineText(n);
      const spaces = line.length - line.trimStart().length;
      const rest = line.trimStart();
      if (rest === '' || rest.startsWith('#')) continue;
      if (indent === -1) indent = spaces;
      if (spaces < indent || line[0] === '\t') return undefined;
      if (spaces === indent) {
        if (!KEY_LINE.test(rest)) return undefined;
        childLines.push(n);
      }
    }
    if (childLines.length === 0) return undefined;
    const section = assembled();
    for (let i = 0; i < childLines.length; i++) {
      const child = piece(childLines[i]!, i + 1 < childLines.length ? childLines[i + 1]! : to, 1);
      if (!child) return undefined;
      merge(section, child);
    }
    positions.record(section.value, section.keys, section.offsets);
    return { key: header[1]!, value: section.value };
  }
}

/** Parses YAML (or JSON, which is YAML) keeping key positions; short-form tags become long-form intrinsics. */
export function parseYamlLocated(raw: string, options: { chunkAbove?: number } = {}): Located {
  const text = stripBom(raw);
  let positions = new KeyOffsets();
  let value: unknown;
  let toPos: ((offset: number) => Pos) | undefined;
  const above = options.chunkAbove ?? YAML_CHUNK_ABOVE;
  if (text.length >= above) {
    const lines = new LineIndex(text);
    value = parseYamlChunked(text, lines, positions, above);
    // The values own their strings, so nothing of the result refers to the text any more.
    if (value !== undefined) {
      lines.detach();
      toPos = (offset) => lines.pos(offset);
    }
  }
  if (value === undefined || toPos === undefined) {
    positions = new KeyOffsets();
    const whole = parseYamlWhole(text, positions, newBudget());
    value = whole.value;
    toPos = whole.toPos;
  }
  const found = positions;
  const lineColumn = toPos;
  const keyPos = (obj: unknown, key: string): Pos | undefined => {
    const offset = obj && typeof obj === 'object' ? found.get(obj, key) : undefined;
    return offset === undefined ? undefined : lineColumn(offset);
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

/** JSON files at least this large get their key positions when parsed (see parseJsonLocated). */
const JSON_LOCATE_NOW_ABOVE = 1024 * 1024;

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
  let source: string | undefined = text;
  let lines: LineIndex | undefined;
  let offsets: KeyOffsets | undefined;
  const locate = (): KeyOffsets => {
    if (!offsets) {
      offsets = locateJsonKeys(source!, value);
      lines = new LineIndex(source).detach();
      source = undefined;
    }
    return offsets;
  };
  // A large template's positions are found now, so that its text can go before the scan builds the
  // snapshot; a small file's only when one is asked for (most JSON files are not templates).
  if (text.length >= JSON_LOCATE_NOW_ABOVE) locate();
  const keyPos = (obj: unknown, key: string): Pos | undefined => {
    if (!obj || typeof obj !== 'object') return undefined;
    const offset = locate().get(obj, key);
    return offset === undefined ? undefined : lines!.pos(offset);
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
 * Offsets of the keys of the objects of `value` (the result of `JSON.parse(text)`) down to
 * MAX_LOCATED_DEPTH. One pass over text that `JSON.parse` has already accepted, without recursion: a
 * template nested 100,000 levels deep (which `JSON.parse` takes) must not overflow the stack here.
 */
function locateJsonKeys(text: string, value: unknown): KeyOffsets {
  const out = new KeyOffsets();
  interface Frame {
    value: unknown;
    array: boolean;
    /** Keys and their offsets, for the objects that get positions. */
    keys?: string[];
    offsets?: number[];
    key?: string;
    /** In an object: the next string is a key. */
    expectKey: boolean;
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
    if (top.array) return (top.value as unknown[])[top.index++];
    return top.key === undefined ? undefined : (top.value as Record<string, unknown>)[top.key];
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const v = next();
      const array = c === 0x5b;
      const located = !array && stack.length <= MAX_LOCATED_DEPTH && v !== null && typeof v === 'object';
      stack.push({
        value: v,
        array,
        ...(located ? { keys: [], offsets: [] } : {}),
        expectKey: !array,
        index: 0,
      });
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      // JSON.parse keeps the last of duplicate keys; so do positions (KeyOffsets.record).
      const top = stack.pop()!;
      if (top.keys) out.record(top.value as object, top.keys, top.offsets!);
      i++;
    } else if (c === 0x22 /* " */) {
      let end = i + 1;
      for (;;) {
        end = text.indexOf('"', end);
        let backslashes = 0;
        while (text.charCodeAt(end - 1 - backslashes) === 0x5c /* \ */) backslashes++;
        if (backslashes % 2 === 0) break;
        end++;
      }
      const top = stack[stack.length - 1];
      if (top && !top.array && top.expectKey) {
        const raw = text.slice(i + 1, end);
        const name = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        top.key = name;
        top.expectKey = false;
        top.keys?.push(name);
        top.offsets?.push(i);
      } else next();
      i = end + 1;
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top && !top.array) top.expectKey = true;
      i++;
    } else if (c === 0x3a /* : */ || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      i++;
    } else {
      // A number, true, false or null: up to the next delimiter.
      next();
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09)
          break;
        i++;
      }
    }
  }
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
