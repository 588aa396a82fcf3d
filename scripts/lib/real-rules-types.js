// The column types of the measuring lake: the corpus's schema.json types, corrected where Microsoft's table
// reference documents the type a real workspace has. The corpus's validation inputs type documented numbers as
// dynamic (ReportId, ProcessId, SentBytes) or string (LAQueryLogs.ResponseRowCount), and string ids as guid
// (TenantId, BehaviorAnalytics.SourceRecordId).
'use strict';

/** The type a column has in the lake: the documented one where the corpus's is one of those known slips. */
function documentedType(corpusType, doc) {
  if (!doc || doc === corpusType) return corpusType;
  const numeric = /^(int|long|real)$/.test(doc);
  if ((corpusType === 'dynamic' || corpusType === 'string') && numeric) return doc;
  if (corpusType === 'guid' && doc === 'string') return doc;
  return corpusType;
}

module.exports = { documentedType };
