// The real-rules measure's lake types: the corpus's schema types, corrected where the table reference documents
// the type a workspace has (numbers the corpus gives as dynamic or string, ids it gives as guid).
import { strict as assert } from 'assert';
import { REFERENCE_SCHEMAS } from '../../../src/core/lake/schemasReference';
const { documentedType } = require('../../../scripts/lib/real-rules-types.js');

describe('real-rules lake types', () => {
  it('takes the documented number for a column the corpus types as dynamic or string', () => {
    assert.equal(documentedType('string', REFERENCE_SCHEMAS.LAQueryLogs.ResponseRowCount), 'int');
    assert.equal(documentedType('dynamic', REFERENCE_SCHEMAS.WireData.ReceivedBytes), 'long');
  });

  it('takes string for an id the corpus types as guid, and keeps the corpus type otherwise', () => {
    assert.equal(documentedType('guid', REFERENCE_SCHEMAS.BehaviorAnalytics.SourceRecordId), 'string');
    assert.equal(documentedType('guid', undefined), 'guid', 'a custom _g column stays a guid');
    assert.equal(
      documentedType('string', REFERENCE_SCHEMAS.DnsEvents.QueryType),
      'string',
      'DNS record types are text',
    );
    assert.equal(documentedType('int', 'string'), 'int');
    assert.equal(documentedType('dynamic', 'string'), 'dynamic');
  });
});
