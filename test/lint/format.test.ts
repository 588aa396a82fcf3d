// The tree is formatted by Prettier (.prettierrc.json, .prettierignore): `npm run format` writes it,
// `npm run format:check` and this test check it, so a change that skips the formatter fails `npm test`.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const PRETTIER = path.join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs');

function prettierCheck(cwd: string, args: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [PRETTIER, '--check', ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('format', function () {
  this.timeout(180_000);

  it('every source file is formatted (npm run format:check)', () => {
    const { status, output } = prettierCheck(ROOT, ['.']);
    assert.strictEqual(status, 0, `run \`npm run format\`; unformatted files:\n${output}`);
  });

  it('the check reports a file that is not formatted', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-format-'));
    try {
      fs.copyFileSync(path.join(ROOT, '.prettierrc.json'), path.join(dir, '.prettierrc.json'));
      fs.writeFileSync(path.join(dir, 'probe.ts'), 'export const probe = {a:1,\n  b : 2}\n');
      const { status, output } = prettierCheck(dir, ['probe.ts']);
      assert.notStrictEqual(status, 0, output);
      assert.match(output, /probe\.ts/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
