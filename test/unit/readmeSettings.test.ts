// The README's settings table against package.json: every contributed setting has a row with its real default,
// and every row names a setting that exists.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const PREFIX = 'sentinelWorkbench.';

describe('README settings table', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes: {
      configuration:
        { properties: Record<string, { default?: unknown }> } | { properties: Record<string, { default?: unknown }> }[];
    };
  };
  const sections = ([] as { properties: Record<string, { default?: unknown }> }[]).concat(
    pkg.contributes.configuration,
  );
  const settings = new Map(sections.flatMap((s) => Object.entries(s.properties)));
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('\n## Settings'));
  const rows = new Map(
    [...table.slice(0, table.indexOf('\n## ', 1)).matchAll(/^\| `([^`]+)` \| `(.*?)` \|/gm)].map((m) => [m[1], m[2]]),
  );

  it('has a row with the default of every setting in package.json', () => {
    const wrong = [...settings].flatMap(([key, spec]) => {
      const name = key.slice(PREFIX.length);
      const expected = JSON.stringify(spec.default).replace(/\|/g, '\\|');
      if (!rows.has(name)) return [`${name}: no row`];
      return rows.get(name) === expected ? [] : [`${name}: README says ${rows.get(name)}, package.json ${expected}`];
    });
    assert.deepStrictEqual(wrong, []);
  });

  it('names no setting that package.json lacks', () => {
    assert.deepStrictEqual(
      [...rows.keys()].filter((name) => !settings.has(PREFIX + name)),
      [],
    );
  });
});
