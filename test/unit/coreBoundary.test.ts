// The core never imports vscode or the extension layer: it is shared by the CLI and the MCP server.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('core boundary', () => {
  it('no file under src/core imports vscode or src/extension', () => {
    const root = path.join(__dirname, '..', '..', 'src', 'core');
    const offenders = walk(root).filter((file) => {
      const text = fs.readFileSync(file, 'utf8');
      return /(from|require\()\s*['"](vscode|(\.\.\/)+extension\b[^'"]*)['"]/.test(text);
    });
    assert.deepStrictEqual(
      offenders.map((f) => path.relative(root, f)),
      [],
    );
  });
});
