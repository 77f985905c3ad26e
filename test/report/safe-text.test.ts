import { describe, expect, it } from 'vitest';
import { escapeXml, safeText } from '../../src/report/shared.js';

describe('safeText (values from AWS or files, before they reach a terminal)', () => {
  it.each([
    ['a\u001b[2Jb', 'ab'],
    ['a\u001b[1;31mred\u001b[0mb', 'aredb'],
    ['a\u001b]8;;http://evil.example\u0007link\u001b]8;;\u0007b', 'alinkb'],
    ['a\u001b]0;set title\u001b\\b', 'ab'],
    ['a\u009b31mb', 'ab'],
    ['a\u001b]0;unterminated title', 'a'],
    ['a\u001b(Bb', 'ab'],
    ['a\u001bcb', 'ab'],
    ['x\u202eevil\u2066', 'xevil'],
    ['bell\u0007 nul\u0000 del\u007f', 'bell nul del'],
    ['tab\there\r\nnext line', 'tab here next line'],
    ['unicode ✓ 😀 ünïcødé', 'unicode ✓ 😀 ünïcødé'],
  ])('%j → %j', (input, expected) => {
    expect(safeText(input)).toBe(expected);
  });

  it('escapeXml also replaces characters XML cannot carry', () => {
    expect(escapeXml('a\ud800b 😀 \ufffe <&>"\'')).toBe('a\ufffdb 😀 \ufffd &lt;&amp;&gt;&quot;&#39;');
  });
});
