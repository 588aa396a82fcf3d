// The modules of src/core (its top-level folders) import one way: no two modules import each other, counting
// type-only imports, require() and import(). ESLint's import-x/no-cycle sees file cycles of value imports; this
// sees the layering between modules, where a two-way edge means the seam is in the wrong place.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const CORE = path.resolve(__dirname, '..', '..', 'src', 'core');
const SPECIFIER = /(?:from|import\(|require\()\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The module of a file: its top-level folder under src/core, or '(root)' for files directly in it. */
function moduleOf(file: string): string {
  const parts = path.relative(CORE, file).split(path.sep);
  return parts.length > 1 ? parts[0] : '(root)';
}

/** Edges "from → to" between files (with the importing files), for files under src/core. */
function importEdges(files: string[], keyOf: (file: string) => string): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const file of files) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const target = path.resolve(path.dirname(file), m[1]);
      if (!target.startsWith(CORE + path.sep)) continue;
      const from = keyOf(file);
      const to = keyOf(
        fs.existsSync(target) && fs.statSync(target).isDirectory() ? path.join(target, 'index.ts') : `${target}.ts`,
      );
      if (from === to) continue;
      const key = `${from} → ${to}`;
      edges.set(key, [...(edges.get(key) ?? []), path.relative(CORE, file)]);
    }
  }
  return edges;
}

function twoWay(edges: Map<string, string[]>): string[] {
  return [...edges.keys()]
    .filter((k) => {
      const [a, b] = k.split(' → ');
      return edges.has(`${b} → ${a}`);
    })
    .map((k) => `${k} (${[...new Set(edges.get(k))].join(', ')})`);
}

describe('layers of src/core', () => {
  const files = sources(CORE);

  it('no two modules import each other (type imports included)', () => {
    assert.deepStrictEqual(twoWay(importEdges(files, moduleOf)), []);
  });

  it('no two files import each other (type imports included)', () => {
    assert.deepStrictEqual(twoWay(importEdges(files, (f) => path.relative(CORE, f))), []);
  });

  it('the check sees a two-way edge (kql and lake importing each other would fail it)', () => {
    const edges = new Map([
      ['kql → lake', ['kql/engine.ts']],
      ['lake → kql', ['lake/load.ts']],
    ]);
    assert.strictEqual(twoWay(edges).length, 2);
  });
});
