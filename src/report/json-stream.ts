// JSON text in pieces, byte for byte what `JSON.stringify(value, null, 2)` prints, so a report with tens of
// thousands of findings is written one element at a time instead of being built as one string.

/** An array whose elements are produced while writing (e.g. one SARIF result per finding); each element is
 * printed whole, so elements must not contain streams themselves. */
export class JsonArrayStream {
  constructor(readonly items: Iterable<unknown>) {}
}

const INDENT = '  ';

function containsStream(value: unknown): boolean {
  if (value instanceof JsonArrayStream) return true;
  if (Array.isArray(value)) return value.some(containsStream);
  if (value && typeof value === 'object') return Object.values(value).some(containsStream);
  return false;
}

/** What JSON.stringify would print for a value, indented to sit at `indent` (undefined when it omits it). */
function whole(value: unknown, indent: string): string | undefined {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  if (text === undefined) return undefined;
  return indent && text.includes('\n') ? text.replaceAll('\n', `\n${indent}`) : text;
}

/**
 * Pieces of the JSON text of `value` (2-space indentation). Only containers that hold a JsonArrayStream are
 * walked piece by piece; everything else is one JSON.stringify call, so the pieces are few and large.
 */
export function* jsonChunks(value: unknown, indent = ''): Generator<string> {
  if (value instanceof JsonArrayStream || (Array.isArray(value) && containsStream(value))) {
    const items = value instanceof JsonArrayStream ? value.items : value;
    const inner = indent + INDENT;
    let first = true;
    for (const item of items) {
      yield first ? `[\n${inner}` : `,\n${inner}`;
      first = false;
      // JSON.stringify prints null for array elements it cannot represent.
      if (!(value instanceof JsonArrayStream) && containsStream(item)) yield* jsonChunks(item, inner);
      else yield whole(item, inner) ?? 'null';
    }
    yield first ? '[]' : `\n${indent}]`;
    return;
  }
  if (value && typeof value === 'object' && containsStream(value)) {
    const inner = indent + INDENT;
    let first = true;
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      yield `${first ? '{\n' : ',\n'}${inner}${JSON.stringify(key)}: `;
      first = false;
      if (containsStream(item)) yield* jsonChunks(item, inner);
      else yield whole(item, inner) ?? 'null';
    }
    yield first ? '{}' : `\n${indent}}`;
    return;
  }
  const text = whole(value, indent);
  if (text !== undefined) yield text;
}
