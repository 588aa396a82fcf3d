// One mapping from ARM rule resources: a workspace's list answer and the same resource saved in a file read alike.
import * as assert from 'assert';
import { analyticsRuleFromArm, armRuleId, automationRuleFromArm } from '../../../src/core/rules/arm';
import { loadAnalyticsRules, loadAutomationRules } from '../../../src/core/migration/ruleFiles';

const ALERT_RULE = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w/providers/Microsoft.SecurityInsights/alertRules/6B3A1E4C-0D2F-4E8A-9C1B-2F3E4D5A6B7C',
  name: '6B3A1E4C-0D2F-4E8A-9C1B-2F3E4D5A6B7C',
  type: 'Microsoft.SecurityInsights/alertRules',
  kind: 'Scheduled',
  properties: {
    displayName: 'Password spray',
    severity: 'Medium',
    tactics: ['CredentialAccess'],
    techniques: ['T1110'],
    query: 'SigninLogs\n| where ResultType == "50126"\n',
    enabled: true,
  },
};

const AUTOMATION_RULE = {
  name: 'a1b2c3d4-0000-4000-8000-000000000001',
  type: 'Microsoft.SecurityInsights/automationRules',
  properties: {
    displayName: 'Tag sprays',
    order: 2,
    triggeringLogic: {
      isEnabled: true,
      triggersOn: 'Incidents',
      triggersWhen: 'Created',
      conditions: [{ conditionType: 'Property' }],
    },
    actions: [{ order: 1, actionType: 'ModifyProperties' }],
  },
};

describe('ARM rule resources (core/rules/arm)', () => {
  it('reads an alert rule from a list answer as the rule-file loader does', () => {
    const fromList = analyticsRuleFromArm(ALERT_RULE);
    assert.deepStrictEqual(fromList, {
      id: '6b3a1e4c-0d2f-4e8a-9c1b-2f3e4d5a6b7c',
      displayName: 'Password spray',
      kind: 'Scheduled',
      severity: 'Medium',
      tactics: ['CredentialAccess'],
      techniques: ['T1110'],
      query: ALERT_RULE.properties.query,
      enabled: true,
    });
    const [fromFile] = loadAnalyticsRules('export.json', JSON.stringify({ value: [ALERT_RULE] }, null, 2)).rules;
    assert.strictEqual(fromFile.id, fromList.id);
    assert.strictEqual(fromFile.title, fromList.displayName);
    assert.deepStrictEqual(
      [fromFile.kind, fromFile.severity, fromFile.tactics, fromFile.techniques, fromFile.query, fromFile.enabled],
      [fromList.kind, fromList.severity, fromList.tactics, fromList.techniques, fromList.query, fromList.enabled],
    );
  });

  it('reads an automation rule from a list answer as the rule-file loader does', () => {
    const fromList = automationRuleFromArm(AUTOMATION_RULE);
    assert.deepStrictEqual(fromList, {
      id: 'a1b2c3d4-0000-4000-8000-000000000001',
      displayName: 'Tag sprays',
      order: 2,
      enabled: true,
      triggersOn: 'Incidents',
      triggersWhen: 'Created',
      conditions: [{ conditionType: 'Property' }],
      actions: [{ order: 1, actionType: 'ModifyProperties' }],
    });
    const [fromFile] = loadAutomationRules('automation.json', JSON.stringify(AUTOMATION_RULE)).rules;
    const { location, ...rest } = fromFile;
    assert.strictEqual(location?.file, 'automation.json');
    assert.deepStrictEqual(rest, fromList);
  });

  it('finds the id inside a template expression and reads fields of the wrong type as absent', () => {
    assert.strictEqual(
      armRuleId({
        name: "[concat(parameters('workspace'),'/Microsoft.SecurityInsights/0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f')]",
      }),
      '0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f',
    );
    assert.strictEqual(armRuleId({ name: "[parameters('ruleName')]" }), undefined);
    const odd = analyticsRuleFromArm({
      name: 'BuiltInFusion',
      kind: 'Fusion',
      properties: { displayName: 42n, tactics: 'Execution, Persistence', enabled: 'yes', query: '  ' },
    });
    assert.deepStrictEqual(odd, {
      id: 'BuiltInFusion',
      displayName: undefined,
      kind: 'Fusion',
      severity: undefined,
      tactics: ['Execution', 'Persistence'],
      techniques: [],
      query: undefined,
      enabled: undefined,
    });
  });
});
