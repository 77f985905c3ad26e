// The loose YAML the SAM CLI and `aws cloudformation package` accept. They read templates with PyYAML,
// which ignores indentation inside flow collections (`[{ … }]`) and multi-line quoted scalars; the YAML
// 1.2 parser we use requires their continuation lines to be indented past the owning key. When a
// document fails to parse, this re-indents exactly those continuation lines (which changes no value:
// whitespace there is insignificant or folded) and remembers how far each line moved, so positions
// reported afterwards are those of the original text. Anything else stays an error.

export interface RelaxedYaml {
  text: string;
  /** 1-based line → spaces inserted at its start. */
  shift: Map<number, number>;
}

const leadingSpaces = (line: string): number => {
  let n = 0;
  while (n < line.length && line[n] === ' ') n++;
  return n;
};

/** End (line, column just past the closing char) of the flow collection or quoted scalar at `start`. */
function scanToClose(lines: string[], line: number, col: number): { line: number; col: number } | undefined {
  const open = lines[line]![col]!;
  if (open === "'" || open === '"') return scanQuoted(lines, line, col + 1, open);
  let depth = 0;
  let prev = ' ';
  let i = line;
  let c = col;
  while (i < lines.length) {
    const text = lines[i]!;
    if (c >= text.length) {
      i++;
      c = 0;
      prev = ' ';
      continue;
    }
    const ch = text[c]!;
    if (ch === '#' && (prev === ' ' || prev === '\t')) {
      c = text.length;
      continue;
    }
    if ((ch === "'" || ch === '"') && /[\s[{,:]/.test(prev)) {
      const end = scanQuoted(lines, i, c + 1, ch);
      if (!end) return undefined;
      i = end.line;
      c = end.col;
      prev = ch;
      continue;
    }
    if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return { line: i, col: c + 1 };
    }
    prev = ch;
    c++;
  }
  return undefined;
}

function scanQuoted(
  lines: string[],
  line: number,
  col: number,
  quote: string,
): { line: number; col: number } | undefined {
  for (let i = line; i < lines.length; i++) {
    const text = lines[i]!;
    for (let c = i === line ? col : 0; c < text.length; c++) {
      const ch = text[c];
      if (quote === '"' && ch === '\\') {
        c++;
        continue;
      }
      if (ch === quote) {
        if (quote === "'" && text[c + 1] === "'") {
          c++;
          continue;
        }
        return { line: i, col: c + 1 };
      }
    }
  }
  return undefined;
}

/** Where the value of a block line starts, and the column its continuation lines must pass. */
function valueStart(text: string): { owner: number; value: number } | undefined {
  let pos = leadingSpaces(text);
  let owner = pos;
  while (text[pos] === '-' && (text[pos + 1] === ' ' || pos + 1 === text.length)) {
    owner = pos;
    pos += 1;
    while (text[pos] === ' ') pos++;
  }
  if (pos >= text.length || text[pos] === '#') return undefined;
  let keyEnd = -1;
  if (text[pos] === '"' || text[pos] === "'") {
    const end = scanQuoted([text], 0, pos + 1, text[pos]!);
    if (end && text[end.col] === ':') keyEnd = end.col;
  } else {
    for (let c = pos; c < text.length; c++) {
      const ch = text[c];
      if (ch === '#' && text[c - 1] === ' ') break;
      if (ch === ':' && (c + 1 === text.length || text[c + 1] === ' ' || text[c + 1] === '\t')) {
        keyEnd = c;
        break;
      }
      if (c === pos && (ch === '[' || ch === '{')) break;
    }
  }
  if (keyEnd !== -1) {
    owner = pos;
    pos = keyEnd + 1;
    while (text[pos] === ' ' || text[pos] === '\t') pos++;
  }
  // Tags and anchors before the value.
  while (text[pos] === '!' || text[pos] === '&') {
    while (pos < text.length && text[pos] !== ' ') pos++;
    while (text[pos] === ' ') pos++;
  }
  return pos < text.length ? { owner, value: pos } : undefined;
}

/**
 * Re-indents the continuation lines of multi-line flow collections and quoted scalars that start in
 * block context so that a YAML 1.2 parser accepts them as PyYAML does; undefined when nothing changed.
 */
export function relaxFlowIndentation(source: string): RelaxedYaml | undefined {
  const lines = source.split('\n');
  const shift = new Map<number, number>();
  let i = 0;
  while (i < lines.length) {
    const text = lines[i]!;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed === '---' || trimmed.startsWith('%')) {
      i++;
      continue;
    }
    const start = valueStart(text);
    if (!start) {
      i++;
      continue;
    }
    const ch = text[start.value];
    if (ch === '|' || ch === '>') {
      // A block scalar: its content lines are text, not structure.
      i++;
      while (i < lines.length && (lines[i]!.trim() === '' || leadingSpaces(lines[i]!) > start.owner)) i++;
      continue;
    }
    if (ch !== '[' && ch !== '{' && ch !== "'" && ch !== '"') {
      i++;
      continue;
    }
    const end = scanToClose(lines, i, start.value);
    if (!end) return shift.size > 0 ? { text: lines.join('\n'), shift } : undefined;
    const need = start.owner + 1;
    for (let j = i + 1; j <= end.line; j++) {
      const line = lines[j]!;
      const have = leadingSpaces(line);
      if (line.trim() === '' || have >= need) continue;
      lines[j] = ' '.repeat(need - have) + line;
      shift.set(j + 1, need - have);
    }
    i = end.line + 1;
  }
  return shift.size > 0 ? { text: lines.join('\n'), shift } : undefined;
}
