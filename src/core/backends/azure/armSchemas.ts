// Schemas for the ARM answers the Azure backend reads. Required fields are the ones the
// Microsoft.SecurityInsights REST specification marks required (azure-rest-api-specs,
// specification/securityinsights/…/Incidents.json: IncidentProperties requires title, severity, status);
// incidentNumber and createdTimeUtc are read-only fields the service always fills in, so an incident without
// them is not something to show. A list page is `{value: [...], nextLink?}` (ARM's paging convention).
import { z } from 'zod';
import { InvalidAnswerError, parseAnswer } from '../answers';

export const ListPage = z.object({
  value: z.array(z.unknown()),
  nextLink: z.string().url().nullable().optional(),
}).passthrough();

export type ListPageAnswer = z.infer<typeof ListPage>;

const Owner = z.object({
  assignedTo: z.string().nullable().optional(),
  userPrincipalName: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
}).passthrough();

export const IncidentResource = z.object({
  name: z.string().min(1),
  properties: z.object({
    title: z.string(),
    severity: z.enum(['High', 'Medium', 'Low', 'Informational']),
    status: z.enum(['New', 'Active', 'Closed']),
    incidentNumber: z.number().int(),
    createdTimeUtc: z.string().datetime({ offset: true }),
    description: z.string().nullable().optional(),
    classification: z.string().nullable().optional(),
    owner: Owner.nullable().optional(),
    lastModifiedTimeUtc: z.string().nullable().optional(),
    firstActivityTimeUtc: z.string().nullable().optional(),
    lastActivityTimeUtc: z.string().nullable().optional(),
    incidentUrl: z.string().nullable().optional(),
    providerIncidentUrl: z.string().nullable().optional(),
    relatedAnalyticRuleIds: z.array(z.string()).nullable().optional(),
    additionalData: z.object({
      alertsCount: z.number().int().optional(),
      tactics: z.array(z.string()).nullable().optional(),
    }).passthrough().nullable().optional(),
  }).passthrough(),
}).passthrough();

export type IncidentAnswer = z.infer<typeof IncidentResource>;

/** Parses an ARM answer or throws InvalidAnswerError with the raw JSON (bounded). */
export function parseArm<S extends z.ZodTypeAny>(schema: S, value: unknown, what: string): z.output<S> {
  return parseAnswer(schema, value, `Azure (${what})`, value === undefined ? '' : JSON.stringify(value));
}

export { InvalidAnswerError };
