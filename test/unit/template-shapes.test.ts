import fc from 'fast-check';
import { projectYaml } from '../../bench/workload';
import { parseYaml } from '../../src/model/yaml-source';
import { validateProject } from '../../src/model/validate';
import { compileTemplate, jsonEscape, jsonEscapeDeep, Render } from '../../src/render/handlebars-env';
import { loadTemplates } from '../../src/render/templates';
import { projectContext, projectView, resourceContext } from '../../src/render/view-model';
import { fixtureCases, fixtureYaml, TEMPLATES } from '../support/fixtures';

/**
 * A template's shapes must give exactly JSON.parse of Handlebars' text, or leave the rendering to
 * Handlebars (undefined): never another value.
 */
const handlebarsValue = (render: Render, context: unknown) => JSON.parse(render(context)) as unknown;
const shapedValue = (render: Render, context: unknown) => render.shaped?.render(context)?.value;

const templates = loadTemplates(TEMPLATES).templates!;

/** Every template of the shipped folder with a context: the fixtures' projects and 60 of the benchmark's. */
function shippedRenderings(): { name: string; render: Render; context: Record<string, unknown> }[] {
  const texts = [...fixtureCases().map(fixtureYaml), ...Array.from({ length: 60 }, (_, i) => projectYaml(i, 3))];
  const projects = texts.map((text, i) => validateProject(parseYaml(`${/^id: (\S+)/m.exec(text)?.[1] ?? i}.yaml`, text).source!, templates.types).project);
  return projects.flatMap((project) => {
    if (!project) return []; // a fixture of bad input
    const view = projectView(project, templates.types);
    return [
      { name: 'project.hbs', render: templates.project.render, context: projectContext(view) as Record<string, unknown> },
      { name: 'service-role-account.hbs', render: templates.serviceRoleAccount.render, context: projectContext(view) as Record<string, unknown> },
      ...project.resources.map((r) => ({ name: r.type, render: templates.types.get(r.type)!.render, context: resourceContext(r, view) as Record<string, unknown> })),
    ];
  });
}

/** The same context with every string (the project's too) replaced, as the view model escapes it. */
function withStrings(context: unknown, next: () => string): unknown {
  if (typeof context === 'string') return jsonEscape(next());
  if (Array.isArray(context)) return context.map((c) => withStrings(c, next));
  if (context && typeof context === 'object') return Object.fromEntries(Object.entries(context).map(([k, v]) => [k, withStrings(v, next)]));
  return context;
}

const HOSTILE = ['"', '\\', '\\"', '\uE000', '\uE0010\uE001', '\uE001', '\u2028', '\n', '__proto__', '{{x}}', '\ud800', 'é', ''];

describe('rendering by shapes', () => {
  const renderings = shippedRenderings();

  it('gives the value of Handlebars for every shipped template, on the fixtures and the benchmark projects', () => {
    const types = new Set<string>();
    for (const { name, render, context } of renderings) {
      const shaped = shapedValue(render, context);
      expect(shaped).toBeDefined();
      expect(shaped).toEqual(handlebarsValue(render, context));
      types.add(name);
    }
    expect(types.size).toBe(templates.types.size + 2);
  });

  it('gives the value of Handlebars when every value is hostile: quotes, backslashes, its own markers, lone surrogates', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: renderings.length - 1 }), fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary' })), { minLength: 1 }), (k, strings) => {
        const { render, context } = renderings[k];
        let n = 0;
        const hostile = withStrings(context, () => strings[n++ % strings.length]);
        const shaped = render.shaped?.render(hostile);
        expect(shaped).toBeDefined();
        expect(shaped!.value).toEqual(handlebarsValue(render, hostile));
      }),
      { numRuns: 300 },
    );
  });

  it('keys the renderings of two templates apart, though their values and choices are the same', () => {
    const one = compileTemplate('{ "a": "{{x}}" }').shaped!.render({ x: 'v' })!;
    const other = compileTemplate('{ "b": "{{x}}" }').shaped!.render({ x: 'v' })!;
    expect(one.key()).not.toBe(other.key());
  });

  it('keys equal renderings alike, and different renderings apart', () => {
    const { render, context } = renderings.find((r) => r.name === 'project.hbs')!;
    const key = render.shaped!.render(context)!.key();
    expect(render.shaped!.render(JSON.parse(JSON.stringify(context)))!.key()).toBe(key);
    expect(render.shaped!.render(withStrings(context, () => 'other'))!.key()).not.toBe(key);
  });

  it('leaves the cross-account viewer, which uses #each, @last and ../, to Handlebars', () => {
    expect(templates.crossAccountViewer.render.shaped).toBeUndefined();
  });
});

describe('a template by shapes', () => {
  const both = (source: string, context: Record<string, unknown>) => {
    const render = compileTemplate(source);
    const escaped = jsonEscapeDeep(context);
    return { shaped: shapedValue(render, escaped), handlebars: handlebarsValue(render, escaped) };
  };

  it('renders inline partials, standalone (which Handlebars indents) and nested', () => {
    const source = ['{{#*inline "inner"}}', '"{{a}}",', '"b"', '{{/inline}}', '{{#*inline "outer"}}', '[', '  {{> inner}}', ']', '{{/inline}}', '{ "x":', '    {{> outer}}', '}'].join('\n');
    const { shaped, handlebars } = both(source, { a: 'A"' });
    expect(shaped).toEqual(handlebars);
    expect(shaped).toEqual({ x: ['A"', 'b'] });
  });

  it('takes if, else and else if as Handlebars does: an empty list and an empty string are false', () => {
    const source = '{ "v": "{{#if a}}a{{else if b}}b{{else}}c{{/if}}", "w": [{{#if list}}{{strings list}}{{/if}}] }';
    for (const context of [{ a: true, b: true, list: [] }, { a: '', b: ['x'], list: ['p', 'q"'] }, { a: [], b: 0, list: ['r'] }]) {
      const { shaped, handlebars } = both(source, context);
      expect(shaped).toBeDefined();
      expect(shaped).toEqual(handlebars);
    }
  });

  it('fills keys, and keeps JSON.parse\'s rules for a repeated key and __proto__', () => {
    const { shaped, handlebars } = both('{ "{{k}}": 1, "b": 2, "{{k}}": 3, "__proto__": { "{{p}}": "{{p}}" } }', { k: 'a', p: '__proto__' });
    expect(shaped).toEqual(handlebars);
    expect(Object.keys(shaped as object)).toEqual(['a', 'b', '__proto__']);
    expect(Object.getPrototypeOf(shaped)).toBe(Object.prototype);
  });

  it('leaves to Handlebars a value outside a string, one after a backslash, a missing field, a field named as a helper', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['{ "n": {{n}} }', { n: 5 }],
      ['{ "s": "\\\\{{s}}" }', { s: 'n' }],
      ['{ "s": "{{s}}" }', {}],
      ['{ "s": "{{s.t}}" }', { s: 'text' }],
      ['{ "s": "{{if}}" }', { if: 'x' }],
      ['{ "s": "{{s}}" }', { s: { nested: 1 } }],
      ['{ "s": "{{s}}" }', { s: null }],
    ];
    for (const [source, context] of cases) {
      const render = compileTemplate(source);
      expect(render.shaped?.render(jsonEscapeDeep(context))).toBeUndefined();
    }
  });

  it('is not made for what only Handlebars renders: #each, #unless, ../, @data, this, a partial with a context, its own marker', () => {
    for (const source of ['{{#each a}}x{{/each}}', '{{#unless a}}x{{/unless}}', '{{#if a}}{{../b}}{{/if}}', '{{@root.a}}', '{{this}}', '{{> p a}}', '{{lookup a b}}', '{ "a": "\uE000{{x}}" }']) {
      expect(compileTemplate(source).shaped).toBeUndefined();
    }
  });

  it('gives Handlebars\' value for numbers and booleans written in strings', () => {
    const { shaped, handlebars } = both('{ "n": "{{n}}", "b": "{{b}}", "l": [{{strings l}}] }', { n: 1.5, b: false, l: [2, true] });
    expect(shaped).toEqual(handlebars);
    expect(shaped).toEqual({ n: '1.5', b: 'false', l: ['2', 'true'] });
  });
});
