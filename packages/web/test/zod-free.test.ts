/**
 * The browser bundle carries no zod. The UI takes only types from
 * `@cnnvis/protocol` (its schemas need zod) and its run-time values from the
 * zod-free `@cnnvis/protocol/plain`; these tests fail when either rule breaks,
 * and when zod shows up in a real build all the same.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const WEB = resolve(__dirname, '..');
const PLAIN = resolve(WEB, '..', 'protocol', 'src', 'plain.ts');
/** Strings zod's code keeps through minification (the old bundle held `ZodError` four times). */
const ZOD_MARKS = /ZodError|\$ZodType|\b_zod\b/;

interface Edge {
  file: string;
  specifier: string;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The imports and re-exports of `file` that remain at run time (anything but `import type` / `export type`). */
function valueEdges(file: string): Edge[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const edges: Edge[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.importClause?.isTypeOnly !== true) {
      edges.push({ file, specifier: node.moduleSpecifier.text });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
      edges.push({ file, specifier: node.moduleSpecifier.text });
    } else if (ts.isCallExpression(node) && node.arguments.length === 1) {
      // import('x') and require('x') load values too.
      const [arg] = node.arguments;
      const dynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require');
      if (dynamic && arg !== undefined && ts.isStringLiteral(arg)) edges.push({ file, specifier: arg.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

function resolveRelative(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  return base.endsWith('.ts') ? base : `${base}.ts`;
}

const show = (edges: Edge[]) => edges.map((e) => `${relative(WEB, e.file)} -> ${e.specifier}`);

test('the web sources take only types from @cnnvis/protocol, values from @cnnvis/protocol/plain alone', () => {
  const offending = tsFiles(join(WEB, 'src'))
    .flatMap(valueEdges)
    .filter((e) => (e.specifier.startsWith('@cnnvis/') && e.specifier !== '@cnnvis/protocol/plain') || (e.specifier.startsWith('.') && !resolve(dirname(e.file), e.specifier).startsWith(join(WEB, 'src'))));
  expect(show(offending)).toEqual([]);
});

test('@cnnvis/protocol/plain reaches no zod, nor any other package', () => {
  const seen = new Set<string>();
  const external: Edge[] = [];
  const walk = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const edge of valueEdges(file)) {
      if (edge.specifier.startsWith('.')) walk(resolveRelative(file, edge.specifier));
      else external.push(edge);
    }
  };
  walk(PLAIN);
  expect(seen.size).toBeGreaterThan(1);
  expect(show(external)).toEqual([]);
});

describe('the built bundle', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'cnnvis-web-build-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('holds no zod code', () => {
    // A build of its own (a few seconds), so a stale dist/ can neither hide zod nor show it.
    const vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
    const build = spawnSync(process.execPath, [vite, 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], { cwd: WEB, encoding: 'utf8' });
    // Shows vite's stderr when the build fails.
    expect({ status: build.status, stderr: build.stderr }).toMatchObject({ status: 0 });
    const scripts = scriptsIn(out);
    expect(scripts.length).toBeGreaterThan(0);
    const withZod = scripts.filter((f) => ZOD_MARKS.test(readFileSync(f, 'utf8')));
    expect(withZod.map((f) => relative(out, f))).toEqual([]);
  });
});

/** Every .js file under `dir`. */
function scriptsIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath, e.name));
}
