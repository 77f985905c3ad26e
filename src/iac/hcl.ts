// A small HCL2 parser (Terraform's native syntax) that keeps line/column for blocks and attributes,
// so findings point at the exact line. Covers what root modules use: blocks, attributes, templates with
// interpolation, heredocs, tuples, objects, for-expressions, splats, conditionals and operators.
import { IacParseError, type Pos } from './source.js';

export type Expr =
  | { k: 'lit'; v: string | number | boolean | null; pos: Pos }
  | { k: 'tpl'; parts: (string | Expr)[]; pos: Pos }
  | { k: 'var'; name: string; pos: Pos }
  | { k: 'attr'; obj: Expr; name: string; pos: Pos }
  | { k: 'index'; obj: Expr; key: Expr; pos: Pos }
  | { k: 'splat'; obj: Expr; ops: SplatOp[]; pos: Pos }
  | { k: 'call'; name: string; args: Expr[]; expand: boolean; pos: Pos }
  | { k: 'tuple'; items: Expr[]; pos: Pos }
  | { k: 'object'; items: { key: Expr; value: Expr }[]; pos: Pos }
  | { k: 'cond'; c: Expr; t: Expr; f: Expr; pos: Pos }
  | { k: 'bin'; op: string; l: Expr; r: Expr; pos: Pos }
  | { k: 'un'; op: string; e: Expr; pos: Pos }
  | {
      k: 'for';
      keyVar?: string;
      valVar: string;
      coll: Expr;
      keyExpr?: Expr;
      valExpr: Expr;
      cond?: Expr;
      object: boolean;
      group: boolean;
      pos: Pos;
    }
  | { k: 'unsupported'; what: string; pos: Pos };

export type SplatOp = { attr: string } | { index: Expr };

export interface Attribute {
  name: string;
  expr: Expr;
  pos: Pos;
}

export interface Block {
  type: string;
  labels: string[];
  body: Body;
  pos: Pos;
  /** Last line of the block (its closing brace). */
  endLine: number;
}

export interface Body {
  attrs: Map<string, Attribute>;
  blocks: Block[];
}

type TokKind = 'ident' | 'num' | 'str' | 'heredoc' | 'punct' | 'nl' | 'eof';

interface Tok {
  kind: TokKind;
  text: string;
  pos: Pos;
  /** Template parts for strings and heredocs: literal text or the tokens of an interpolation. */
  parts?: (string | Tok[] | { directive: string })[];
}

const PUNCT3 = ['...'];
const PUNCT2 = ['==', '!=', '<=', '>=', '&&', '||', '=>', '::'];
const PUNCT1 = '{}[]()=:,.?!<>+-*/%';

/**
 * How deeply blocks, expressions and string interpolations may nest. Real modules nest a handful of
 * levels; a hostile file with 10,000 levels would otherwise exhaust the call stack of this recursive
 * parser (and of everything that walks its output).
 */
export const MAX_HCL_NESTING = 200;

class Lexer {
  private i = 0;
  private line = 1;
  private col = 1;
  private nesting = 0;

  constructor(
    private readonly src: string,
    lineOffset = 0,
    colOffset = 0,
  ) {
    this.line += lineOffset;
    this.col += colOffset;
  }

  private err(message: string): never {
    throw new IacParseError(`invalid HCL: ${message}`, this.line, this.col);
  }

  private advance(n = 1): void {
    for (let k = 0; k < n; k++) {
      if (this.src.charCodeAt(this.i) === 10) {
        this.line++;
        this.col = 1;
      } else this.col++;
      this.i++;
    }
  }

  private here(): Pos {
    return { line: this.line, column: this.col };
  }

  /** All tokens up to the end, or (when `closeBrace`) up to the `}` that closes an interpolation. */
  tokens(closeBrace = false): Tok[] {
    const out: Tok[] = [];
    let depth = 0;
    for (;;) {
      const tok = this.next();
      if (tok.kind === 'eof') {
        if (closeBrace) this.err('unterminated interpolation (missing "}")');
        out.push(tok);
        return out;
      }
      if (closeBrace && tok.kind === 'punct') {
        if (tok.text === '{') depth++;
        else if (tok.text === '}') {
          if (depth === 0) {
            out.push({ kind: 'eof', text: '', pos: tok.pos });
            return out;
          }
          depth--;
        }
      }
      out.push(tok);
    }
  }

  private next(): Tok {
    const s = this.src;
    for (;;) {
      const c = s[this.i];
      if (c === undefined) return { kind: 'eof', text: '', pos: this.here() };
      if (c === ' ' || c === '\t' || c === '\r') {
        this.advance();
        continue;
      }
      if (c === '#' || (c === '/' && s[this.i + 1] === '/')) {
        while (this.i < s.length && s[this.i] !== '\n') this.advance();
        continue;
      }
      if (c === '/' && s[this.i + 1] === '*') {
        const end = s.indexOf('*/', this.i + 2);
        if (end === -1) this.err('unterminated /* comment');
        this.advance(end + 2 - this.i);
        continue;
      }
      break;
    }
    const pos = this.here();
    const c = s[this.i]!;
    if (c === '\n') {
      this.advance();
      return { kind: 'nl', text: '\n', pos };
    }
    if (/[A-Za-z_]/.test(c)) {
      const start = this.i;
      while (this.i < s.length && /[A-Za-z0-9_-]/.test(s[this.i]!)) this.advance();
      return { kind: 'ident', text: s.slice(start, this.i), pos };
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(s.slice(this.i, this.i + 64))!;
      this.advance(m[0].length);
      return { kind: 'num', text: m[0], pos };
    }
    if (c === '"') {
      this.advance();
      const parts = this.template('"');
      return { kind: 'str', text: '', pos, parts };
    }
    if (c === '<' && s[this.i + 1] === '<' && /[-A-Za-z_]/.test(s[this.i + 2] ?? '')) {
      return this.heredoc(pos);
    }
    for (const p of PUNCT3) if (s.startsWith(p, this.i)) return this.punct(p, pos);
    for (const p of PUNCT2) if (s.startsWith(p, this.i)) return this.punct(p, pos);
    if (PUNCT1.includes(c)) return this.punct(c, pos);
    this.err(`unexpected character '${c}'`);
  }

  private punct(text: string, pos: Pos): Tok {
    this.advance(text.length);
    return { kind: 'punct', text, pos };
  }

  /** Reads template text up to `end` (a quote) or the end of input; `${…}` becomes tokens. */
  private template(end: '"' | null): (string | Tok[] | { directive: string })[] {
    const s = this.src;
    const parts: (string | Tok[] | { directive: string })[] = [];
    let lit = '';
    for (;;) {
      const c = s[this.i];
      if (c === undefined) {
        if (end) this.err('unterminated string');
        break;
      }
      if (end && c === end) {
        this.advance();
        break;
      }
      if (end && c === '\n') this.err('newline in a quoted string (use a heredoc)');
      if (end && c === '\\') {
        const n = s[this.i + 1];
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
        if (n === 'u' || n === 'U') {
          const len = n === 'u' ? 4 : 8;
          lit += String.fromCodePoint(Number.parseInt(s.slice(this.i + 2, this.i + 2 + len), 16) || 0xfffd);
          this.advance(2 + len);
        } else {
          lit += map[n ?? ''] ?? n ?? '';
          this.advance(2);
        }
        continue;
      }
      if ((c === '$' || c === '%') && s[this.i + 1] === c && s[this.i + 2] === '{') {
        lit += `${c}{`;
        this.advance(3);
        continue;
      }
      if (c === '$' && s[this.i + 1] === '{') {
        if (lit) parts.push(lit);
        lit = '';
        if (++this.nesting > MAX_HCL_NESTING)
          this.err(`string interpolations nested more than ${MAX_HCL_NESTING} levels deep`);
        this.advance(2);
        if (s[this.i] === '~') this.advance();
        parts.push(this.tokens(true));
        this.nesting--;
        continue;
      }
      if (c === '%' && s[this.i + 1] === '{') {
        if (lit) parts.push(lit);
        lit = '';
        const close = s.indexOf('}', this.i);
        if (close === -1) this.err('unterminated template directive');
        parts.push({ directive: s.slice(this.i, close + 1) });
        this.advance(close + 1 - this.i);
        continue;
      }
      lit += c;
      this.advance();
    }
    if (lit) parts.push(lit);
    return parts;
  }

  private heredoc(pos: Pos): Tok {
    const s = this.src;
    const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(s.slice(this.i, this.i + 200));
    if (!m) this.err('malformed heredoc introducer');
    const strip = m[1] === '-';
    const marker = m[2]!;
    this.advance(m[0].length);
    const bodyStartLine = this.line;
    const lines: string[] = [];
    for (;;) {
      if (this.i >= s.length) this.err(`heredoc ${marker} is never closed`);
      let nl = s.indexOf('\n', this.i);
      if (nl === -1) nl = s.length;
      const line = s.slice(this.i, nl).replace(/\r$/, '');
      this.advance(nl - this.i);
      if (line.trim() === marker) break;
      lines.push(line);
      if (this.i < s.length) this.advance();
    }
    let body = lines;
    if (strip) {
      const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
      const min = indents.length ? Math.min(...indents) : 0;
      body = lines.map((l) => l.slice(min));
    }
    const text = body.length ? `${body.join('\n')}\n` : '';
    const inner = new Lexer(text, bodyStartLine - 1);
    inner.nesting = this.nesting + 1;
    if (inner.nesting > MAX_HCL_NESTING) this.err(`heredocs nested more than ${MAX_HCL_NESTING} levels deep`);
    const parts = inner.template(null);
    return { kind: 'heredoc', text: '', pos, parts };
  }
}

class Parser {
  private i = 0;
  /** Inside (), [] or {} expressions newlines do not end anything. */
  private nlSkip = 0;
  private nesting = 0;

  /** Runs `parse` one nesting level deeper; refuses (at `at`) past MAX_HCL_NESTING. */
  private nested<T>(at: Tok, what: string, parse: () => T): T {
    if (++this.nesting > MAX_HCL_NESTING)
      throw new IacParseError(
        `invalid HCL: ${what} nested more than ${MAX_HCL_NESTING} levels deep; not scanned`,
        at.pos.line,
        at.pos.column,
      );
    try {
      return parse();
    } finally {
      this.nesting--;
    }
  }

  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok {
    if (this.nlSkip > 0) while (this.toks[this.i]!.kind === 'nl') this.i++;
    return this.toks[this.i]!;
  }

  private take(): Tok {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private is(text: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === text;
  }

  private expect(text: string): Tok {
    const t = this.take();
    if (t.kind !== 'punct' || t.text !== text) this.fail(t, `expected '${text}'`);
    return t;
  }

  private fail(t: Tok, message: string): never {
    const found =
      t.kind === 'eof' ? 'end of file' : t.kind === 'nl' ? 'end of line' : `'${t.text || t.kind}'`;
    throw new IacParseError(`invalid HCL: ${message}, found ${found}`, t.pos.line, t.pos.column);
  }

  private skipNewlines(): void {
    while (this.toks[this.i]!.kind === 'nl') this.i++;
  }

  body(untilBrace: boolean): { body: Body; endLine: number } {
    const body: Body = { attrs: new Map(), blocks: [] };
    for (;;) {
      this.skipNewlines();
      const t = this.toks[this.i]!;
      if (t.kind === 'eof') {
        if (untilBrace) this.fail(t, "expected '}' to close the block");
        return { body, endLine: t.pos.line };
      }
      if (t.kind === 'punct' && t.text === '}') {
        if (!untilBrace) this.fail(t, 'unexpected closing brace');
        this.i++;
        return { body, endLine: t.pos.line };
      }
      if (t.kind !== 'ident') this.fail(t, 'expected an attribute or block name');
      this.i++;
      const next = this.toks[this.i]!;
      if (next.kind === 'punct' && next.text === '=') {
        this.i++;
        const expr = this.expr();
        body.attrs.set(t.text, { name: t.text, expr, pos: t.pos });
        this.endOfItem();
        continue;
      }
      const labels: string[] = [];
      for (;;) {
        const l = this.toks[this.i]!;
        if (l.kind === 'ident') {
          labels.push(l.text);
          this.i++;
        } else if (l.kind === 'str') {
          labels.push((l.parts ?? []).map((p) => (typeof p === 'string' ? p : '')).join(''));
          this.i++;
        } else break;
      }
      const open = this.toks[this.i]!;
      if (open.kind !== 'punct' || open.text !== '{')
        this.fail(open, `expected '=' or '{' after '${t.text}'`);
      this.i++;
      const inner = this.nested(t, 'blocks', () => this.body(true));
      body.blocks.push({ type: t.text, labels, body: inner.body, pos: t.pos, endLine: inner.endLine });
      this.endOfItem();
    }
  }

  private endOfItem(): void {
    const t = this.toks[this.i]!;
    if (t.kind === 'nl') {
      this.i++;
      return;
    }
    if (t.kind === 'eof' || (t.kind === 'punct' && t.text === '}')) return;
    this.fail(t, 'expected a new line after the attribute or block');
  }

  expr(): Expr {
    return this.nested(this.toks[this.i]!, 'expressions', () => this.exprInner());
  }

  private exprInner(): Expr {
    const c = this.binary(0);
    if (this.is('?')) {
      this.take();
      this.nlSkip++;
      const t = this.expr();
      this.expect(':');
      this.nlSkip--;
      const f = this.expr();
      return { k: 'cond', c, t, f, pos: c.pos };
    }
    return c;
  }

  private static readonly PREC: Record<string, number> = {
    '||': 1,
    '&&': 2,
    '==': 3,
    '!=': 3,
    '<': 4,
    '>': 4,
    '<=': 4,
    '>=': 4,
    '+': 5,
    '-': 5,
    '*': 6,
    '/': 6,
    '%': 6,
  };

  private binary(minPrec: number): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      const prec = t.kind === 'punct' ? Parser.PREC[t.text] : undefined;
      if (prec === undefined || prec <= minPrec) return left;
      this.take();
      const right = this.binary(prec);
      left = { k: 'bin', op: t.text, l: left, r: right, pos: left.pos };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'punct' && (t.text === '!' || t.text === '-')) {
      this.take();
      return { k: 'un', op: t.text, e: this.nested(t, 'operators', () => this.unary()), pos: t.pos };
    }
    return this.postfix(this.primary());
  }

  private postfix(base: Expr): Expr {
    let e = base;
    for (;;) {
      const t = this.toks[this.i]!;
      if (t.kind !== 'punct') return e;
      if (t.text === '.') {
        this.i++;
        const n = this.take();
        if (n.kind === 'punct' && n.text === '*') {
          e = { k: 'splat', obj: e, ops: this.splatOps(), pos: e.pos };
          continue;
        }
        if (n.kind !== 'ident' && n.kind !== 'num') this.fail(n, 'expected an attribute name after "."');
        e =
          n.kind === 'num'
            ? { k: 'index', obj: e, key: { k: 'lit', v: Number(n.text), pos: n.pos }, pos: e.pos }
            : { k: 'attr', obj: e, name: n.text, pos: e.pos };
        continue;
      }
      if (t.text === '[') {
        this.i++;
        this.nlSkip++;
        if (this.is('*')) {
          this.take();
          this.expect(']');
          this.nlSkip--;
          e = { k: 'splat', obj: e, ops: this.splatOps(), pos: e.pos };
          continue;
        }
        const key = this.expr();
        this.expect(']');
        this.nlSkip--;
        e = { k: 'index', obj: e, key, pos: e.pos };
        continue;
      }
      return e;
    }
  }

  private splatOps(): SplatOp[] {
    const ops: SplatOp[] = [];
    for (;;) {
      const t = this.toks[this.i]!;
      if (t.kind === 'punct' && t.text === '.' && this.toks[this.i + 1]?.kind === 'ident') {
        ops.push({ attr: this.toks[this.i + 1]!.text });
        this.i += 2;
      } else if (t.kind === 'punct' && t.text === '[' && !(this.toks[this.i + 1]?.text === '*')) {
        this.i++;
        this.nlSkip++;
        const index = this.expr();
        this.expect(']');
        this.nlSkip--;
        ops.push({ index });
      } else return ops;
    }
  }

  private primary(): Expr {
    const t = this.take();
    switch (t.kind) {
      case 'num':
        return { k: 'lit', v: Number(t.text), pos: t.pos };
      case 'str':
      case 'heredoc':
        return this.templateExpr(t);
      case 'ident': {
        if (t.text === 'true' || t.text === 'false') return { k: 'lit', v: t.text === 'true', pos: t.pos };
        if (t.text === 'null') return { k: 'lit', v: null, pos: t.pos };
        const n = this.toks[this.i]!;
        if (n.kind === 'punct' && n.text === '(') return this.call(t);
        if (n.kind === 'punct' && n.text === '::') {
          // Provider-defined functions: provider::name::fn(...)
          let name = t.text;
          while (this.toks[this.i]!.text === '::') {
            this.i++;
            name += `::${this.take().text}`;
          }
          return this.call({ ...t, text: name });
        }
        return { k: 'var', name: t.text, pos: t.pos };
      }
      case 'punct':
        if (t.text === '(') {
          this.nlSkip++;
          const e = this.expr();
          this.expect(')');
          this.nlSkip--;
          return e;
        }
        if (t.text === '[') return this.tuple(t);
        if (t.text === '{') return this.object(t);
        break;
    }
    this.fail(t, 'expected an expression');
  }

  private call(name: Tok): Expr {
    this.expect('(');
    this.nlSkip++;
    const args: Expr[] = [];
    let expand = false;
    while (!this.is(')')) {
      args.push(this.expr());
      if (this.is('...')) {
        this.take();
        expand = true;
      }
      if (this.is(',')) this.take();
      else if (!this.is(')')) this.fail(this.peek(), "expected ',' or ')' in the function call");
    }
    this.take();
    this.nlSkip--;
    return { k: 'call', name: name.text, args, expand, pos: name.pos };
  }

  private tuple(open: Tok): Expr {
    this.nlSkip++;
    const next = this.peek();
    if (next.kind === 'ident' && next.text === 'for') {
      const e = this.forExpr(open, false);
      this.expect(']');
      this.nlSkip--;
      return e;
    }
    const items: Expr[] = [];
    while (!this.is(']')) {
      items.push(this.expr());
      if (this.is(',')) this.take();
      else if (!this.is(']')) this.fail(this.peek(), "expected ',' or ']' in the list");
    }
    this.take();
    this.nlSkip--;
    return { k: 'tuple', items, pos: open.pos };
  }

  private object(open: Tok): Expr {
    this.nlSkip++;
    const next = this.peek();
    if (next.kind === 'ident' && next.text === 'for') {
      const e = this.forExpr(open, true);
      this.expect('}');
      this.nlSkip--;
      return e;
    }
    const items: { key: Expr; value: Expr }[] = [];
    while (!this.is('}')) {
      const k = this.expr();
      const key: Expr = k.k === 'var' ? { k: 'lit', v: k.name, pos: k.pos } : k;
      const sep = this.take();
      if (sep.kind !== 'punct' || (sep.text !== '=' && sep.text !== ':'))
        this.fail(sep, "expected '=' or ':' after the object key");
      items.push({ key, value: this.expr() });
      if (this.is(',')) this.take();
    }
    this.take();
    this.nlSkip--;
    return { k: 'object', items, pos: open.pos };
  }

  private forExpr(open: Tok, object: boolean): Expr {
    this.take();
    const first = this.take();
    if (first.kind !== 'ident') this.fail(first, 'expected a variable name after "for"');
    let keyVar: string | undefined;
    let valVar = first.text;
    if (this.is(',')) {
      this.take();
      keyVar = first.text;
      const v = this.take();
      if (v.kind !== 'ident') this.fail(v, 'expected a second variable name');
      valVar = v.text;
    }
    const inTok = this.take();
    if (inTok.kind !== 'ident' || inTok.text !== 'in') this.fail(inTok, 'expected "in"');
    const coll = this.expr();
    this.expect(':');
    let keyExpr: Expr | undefined;
    let valExpr = this.expr();
    if (object) {
      this.expect('=>');
      keyExpr = valExpr;
      valExpr = this.expr();
    }
    let group = false;
    if (this.is('...')) {
      this.take();
      group = true;
    }
    let cond: Expr | undefined;
    const n = this.peek();
    if (n.kind === 'ident' && n.text === 'if') {
      this.take();
      cond = this.expr();
    }
    return {
      k: 'for',
      ...(keyVar ? { keyVar } : {}),
      valVar,
      coll,
      ...(keyExpr ? { keyExpr } : {}),
      valExpr,
      ...(cond ? { cond } : {}),
      object,
      group,
      pos: open.pos,
    };
  }

  private templateExpr(t: Tok): Expr {
    const parts: (string | Expr)[] = [];
    for (const p of t.parts ?? []) {
      if (typeof p === 'string') parts.push(p);
      else if (Array.isArray(p)) {
        const sub = new Parser(p);
        sub.nlSkip = 1;
        sub.nesting = this.nesting;
        const e = sub.expr();
        const rest = sub.peek();
        if (rest.kind !== 'eof') sub.fail(rest, 'unexpected token in interpolation');
        parts.push(e);
      } else parts.push({ k: 'unsupported', what: `template directive ${p.directive}`, pos: t.pos });
    }
    if (parts.length === 0) return { k: 'lit', v: '', pos: t.pos };
    if (parts.length === 1 && typeof parts[0] === 'string') return { k: 'lit', v: parts[0], pos: t.pos };
    return { k: 'tpl', parts, pos: t.pos };
  }
}

/** Parses a `.tf` / `.tfvars` file into its body; throws IacParseError with line and column. */
export function parseHcl(text: string): Body {
  const tokens = new Lexer(text).tokens();
  return new Parser(tokens).body(false).body;
}
