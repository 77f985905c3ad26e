// The HTML report stays usable with tens of thousands of findings: every row is in the file (readable
// without JavaScript), and the script shows them a page at a time behind a pager it reveals itself.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { renderHtml, renderHtmlChunks } from '../../src/report/html.js';
import { aFinding, aReportInput } from './builders.js';

const findings = Array.from({ length: 250 }, (_, i) =>
  aFinding({ name: `fn-${String(i).padStart(3, '0')}`, status: i % 5 === 0 ? 'PASS' : 'FAIL' }),
);
const input = aReportInput({ findings });
// Rendered inside each test, so mutation testing knows which tests reach which code.
const render = () => renderHtml(input);

function script(page: string): string {
  return /<script>([\s\S]*?)<\/script>/.exec(page)![1]!;
}

describe('HTML report paging', () => {
  it('keeps every finding as a row, so the page reads in full without JavaScript', () => {
    const html = render();
    expect(html.match(/<tr data-status=/g)).toHaveLength(250);
  });

  it('has a pager that starts hidden and uses plain buttons (no inline handlers, no form submit)', () => {
    const html = render();
    expect(html).toContain(
      '<p id="pager" hidden><button type="button" id="prev">Previous</button> <span id="page"></span> <button type="button" id="next">Next</button></p>',
    );
    expect(html).not.toMatch(/<button[^>]+\son\w+=/i);
  });

  it('pages in the script: 100 rows at a time, each row read once for the text filter', () => {
    const html = render();
    const code = script(html);
    expect(code).toContain('var PAGE = 100;');
    expect(code).toContain('matching.slice(from, from + PAGE)');
    expect(code).toContain('pager.hidden = false;');
    expect(code).toMatch(/texts\[i\] === undefined/);
  });

  it('streams the table row by row: one piece per finding, joined to the same page', () => {
    const html = render();
    const pieces = [...renderHtmlChunks(input)];
    expect(pieces.length).toBe(250 + 2);
    expect(pieces.join('')).toBe(html);
  });
});

/** Just enough DOM for the report's script: rows with data attributes, the filter form, the pager. */
function fakePage(page: string) {
  const rows = [
    ...page.matchAll(
      /<tr data-status="(\w+)" data-severity="(\w+)" data-muted="(\w+)"[^>]*>([\s\S]*?)<\/tr>/g,
    ),
  ].map((m) => ({
    hidden: false,
    attrs: { 'data-status': m[1], 'data-severity': m[2], 'data-muted': m[3] } as Record<string, string>,
    textContent: m[4]!.replace(/<[^>]+>/g, ''),
    getAttribute(name: string) {
      return this.attrs[name] ?? null;
    },
  }));
  const inputs = [
    ...page.matchAll(/<input type="(checkbox|search)" name="(\w+)"(?: value="(\w+)")?([^>]*)>/g),
  ].map((m) => ({
    name: m[2]!,
    value: m[3] ?? '',
    checked: m[4]!.includes('checked'),
  }));
  const listeners: Record<string, (() => void)[]> = {};
  const element = (id: string) => {
    const el = {
      id,
      hidden: id === 'pager',
      disabled: false,
      textContent: '',
      addEventListener(type: string, fn: () => void) {
        const key = `${id}:${type}`;
        listeners[key] = [...(listeners[key] ?? []), fn];
      },
      querySelectorAll: (selector: string) => {
        const name = /name="(\w+)"/.exec(selector)![1];
        return inputs.filter((i) => i.name === name && i.checked);
      },
      querySelector: (selector: string) => inputs.find((i) => i.name === /name="(\w+)"/.exec(selector)![1]),
    };
    return el;
  };
  const elements = Object.fromEntries(
    ['filters', 'shown', 'pager', 'prev', 'next', 'page'].map((id) => [id, element(id)]),
  );
  const document = {
    getElementById: (id: string) => elements[id],
    querySelectorAll: () => rows,
  };
  runInNewContext(script(page), { document });
  const fire = (id: string, type: string) => {
    for (const fn of listeners[`${id}:${type}`] ?? []) fn();
  };
  const visible = () => rows.filter((r) => !r.hidden);
  return { rows, inputs, elements, fire, visible };
}

describe('HTML report script (run against a minimal DOM)', () => {
  it('shows the first 100 matching rows, pages forward and back, and says where it is', () => {
    const html = render();
    const page = fakePage(html);
    // PASS is unchecked by default: 200 FAIL rows match.
    expect(page.elements.shown!.textContent).toBe('200');
    expect(page.visible()).toHaveLength(100);
    expect(page.elements.pager!.hidden).toBe(false);
    expect(page.elements.page!.textContent).toBe('1–100 of 200 (page 1 of 2)');
    expect(page.elements.prev!.disabled).toBe(true);
    page.fire('next', 'click');
    expect(page.visible()).toHaveLength(100);
    expect(page.elements.page!.textContent).toBe('101–200 of 200 (page 2 of 2)');
    expect(page.elements.next!.disabled).toBe(true);
    page.fire('prev', 'click');
    expect(page.elements.page!.textContent).toBe('1–100 of 200 (page 1 of 2)');
  });

  it('filters by status and by text, back to page one', () => {
    const html = render();
    const page = fakePage(html);
    page.fire('next', 'click');
    for (const i of page.inputs) if (i.name === 'status') i.checked = i.value === 'PASS';
    page.fire('filters', 'change');
    expect(page.elements.shown!.textContent).toBe('50');
    expect(page.visible().every((r) => r.attrs['data-status'] === 'PASS')).toBe(true);
    expect(page.elements.page!.textContent).toBe('1–50 of 50 (page 1 of 1)');
    page.inputs.find((i) => i.name === 'q')!.value = 'fn-005';
    page.fire('filters', 'input');
    expect(page.visible().map((r) => /fn-\d+/.exec(r.textContent)![0])).toEqual(['fn-005']);
    page.inputs.find((i) => i.name === 'q')!.value = 'no such function';
    page.fire('filters', 'input');
    expect(page.visible()).toHaveLength(0);
    expect(page.elements.page!.textContent).toBe('no findings match');
  });
});
