import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { RULE_TABLES, RuleTableName, generatedSection } from '../../../src/core/analyzer/reasoning/rulesDoc';
import { ALL_USER_RULES } from '../../../src/core/analyzer/reasoning/user';
import { URL_RULES } from '../../../src/core/analyzer/reasoning/urlRules';

const ROOT = path.resolve(__dirname, '../../..');

describe('analyzer rule tables in the docs', () => {
  for (const doc of ['README.md', 'src/core/analyzer/reasoning/README.md']) {
    for (const name of Object.keys(RULE_TABLES) as RuleTableName[]) {
      it(`${doc}: the ${name} table is the one the rules generate (npm run docs:analyzer)`, () => {
        const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
        const section = generatedSection(text, name);
        assert.ok(section !== undefined, `${doc} has no ${name} markers`);
        assert.strictEqual(
          section,
          RULE_TABLES[name](),
          `${doc}: ${name} disagrees with the rules; run npm run docs:analyzer`,
        );
      });
    }
  }

  it('every rule has a unique id, a title, what fires it and its weight', () => {
    for (const rules of [ALL_USER_RULES, URL_RULES]) {
      const ids = rules.map((r) => r.id);
      assert.deepStrictEqual([...new Set(ids)], ids, 'duplicate rule ids');
      for (const r of rules) assert.ok(r.title && r.fires && r.weight, `rule ${r.id} lacks documentation`);
    }
  });

  it('the generated table lists scoring rules and leaves context rules out', () => {
    const table = RULE_TABLES['analyzer-user-rules']();
    assert.match(table, /\| U13 Threat intelligence on sign-in IPs \|/);
    assert.match(table, /\| U19 Consent to a high-privilege app \|/);
    assert.doesNotMatch(table, /Usual and shared networks/);
  });
});
