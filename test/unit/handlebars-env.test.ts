import fc from 'fast-check';
import { compileTemplate, jsonEscape, jsonEscapeDeep, stringsHelper } from '../../src/render/handlebars-env';

describe('the template environment', () => {
  const render = compileTemplate('{"value": "{{v}}", "raw": "{{{v}}}"}');

  it('never HTML-escapes: <, > and & reach the output as themselves', () => {
    const out = JSON.parse(render(jsonEscapeDeep({ v: '<a & b>' })));
    expect(out).toEqual({ value: '<a & b>', raw: '<a & b>' });
  });

  it('keeps quotes, backslashes and control characters inside their JSON string, even through {{{ }}}', () => {
    const hostile = 'a"b\\c\n", "injected": "x';
    const out = JSON.parse(render(jsonEscapeDeep({ v: hostile })));
    expect(out).toEqual({ value: hostile, raw: hostile });
  });

  it('throws on a missing field instead of writing an empty string', () => {
    expect(() => render({})).toThrow(/"v" not defined/);
  });

  it('rejects a template with a syntax error when it is compiled', () => {
    expect(() => compileTemplate('{{#if x}}')).toThrow();
  });
});

describe('jsonEscape', () => {
  it('is what JSON.stringify writes between the quotes, for any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (value) => expect(jsonEscape(value)).toBe(JSON.stringify(value).slice(1, -1))), { numRuns: 2000 });
  });

  it('is the content of a JSON string', () => {
    expect(jsonEscape('a"b')).toBe('a\\"b');
    expect(jsonEscape('é')).toBe('é');
  });

  it('escapes every string of a structure and leaves other values alone', () => {
    expect(jsonEscapeDeep({ a: ['"'], b: 1, c: true, d: null })).toEqual({ a: ['\\"'], b: 1, c: true, d: null });
  });
});

describe('the strings helper', () => {
  it('writes a list as JSON array items', () => {
    expect(stringsHelper(['a', 'b'])).toBe('"a", "b"');
    expect(stringsHelper([])).toBe('');
  });

  it('refuses anything but a list', () => {
    expect(() => stringsHelper('a')).toThrow(/expected a list/);
  });
});
