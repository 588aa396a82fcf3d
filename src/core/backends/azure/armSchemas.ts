// Schemas for the ARM answers the Azure backend reads. Required fields are the ones the
// Microsoft.SecurityInsights REST specification marks required (azure-rest-api-specs,
// specification/securityinsights/…/Incidents.json: IncidentProperties requires title, severity, status);
// incidentNumber and createdTimeUtc are read-only fields the service always fills in, so an incident without
// them is not something to show. A list page is `{value: [...], nextLink?}` (ARM's paging convention).
import { z } from 'zod';
import { InvalidAnswerError, parseAnswer } from '../answers';

export const ListPage = z
  .object({
    value: z.array(z.unknown()),
    nextLink: z.string().url().nullable().optional(),
  })
  .passthrough();

export type ListPageAnswer = z.infer<typeof ListPage>;

const Owner = z
  .object({
    assignedTo: z.string().nullable().optional(),
    userPrincipalName: z.string().nullable().optional(),
    email: z.string().nullable().optional(),
  })
  .passthrough();

export const IncidentResource = z
  .object({
    name: z.string().min(1),
    properties: z
      .object({
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
        additionalData: z
          .object({
            alertsCount: z.number().int().optional(),
            tactics: z.array(z.string()).nullable().optional(),
          })
          .passthrough()
          .nullable()
          .optional(),
      })
      .passthrough(),
  })
  .passthrough();

export type IncidentAnswer = z.infer<typeof IncidentResource>;

/** Parses an ARM answer or throws InvalidAnswerError with the raw JSON (bounded). */
export function parseArm<S extends z.ZodTypeAny>(schema: S, value: unknown, what: string): z.output<S> {
  return parseAnswer(schema, value, `Azure (${what})`, value === undefined ? '' : JSON.stringify(value));
}

export { InvalidAnswerError };

// Entities.json: an incident's alerts are SecurityAlert entities (kind "SecurityAlert"); the service always
// fills in the display name, severity and system alert id, so an alert without them is not something to show.
const Severity = z.enum(['High', 'Medium', 'Low', 'Informational']);
const optionalText = z.string().nullable().optional();

export const AlertResource = z
  .object({
    name: z.string().optional(),
    properties: z
      .object({
        alertDisplayName: z.string().min(1),
        severity: Severity,
        systemAlertId: z.string().min(1),
        description: optionalText,
        productName: optionalText,
        tactics: z.array(z.string()).nullable().optional(),
        startTimeUtc: optionalText,
        endTimeUtc: optionalText,
      })
      .passthrough(),
  })
  .passthrough();

/** POST incidents/{id}/alerts answers `{value: [alert…]}` (IncidentAlertList). */
export const AlertList = z.object({ value: z.array(z.unknown()) }).passthrough();

// IncidentComments.json: IncidentCommentProperties requires message; createdTimeUtc is read-only and always set.
export const CommentResource = z
  .object({
    name: z.string().min(1),
    properties: z
      .object({
        message: z.string(),
        createdTimeUtc: z.string().datetime({ offset: true }),
        author: z
          .object({
            name: optionalText,
            userPrincipalName: optionalText,
            email: optionalText,
          })
          .passthrough()
          .nullable()
          .optional(),
      })
      .passthrough(),
  })
  .passthrough();

// Microsoft.OperationalInsights workspaces: customerId is the workspace id Log Analytics queries use.
export const WorkspaceResource = z
  .object({
    name: z.string().min(1),
    location: z.string().optional(),
    properties: z.object({ customerId: z.string().min(1) }).passthrough(),
  })
  .passthrough();

// AlertRules.json: AlertRule requires kind; displayName is required for Scheduled and NRT rules (the built-in
// Fusion / ML rules carry their template's name instead).
export const AlertRuleResource = z
  .object({
    name: z.string().min(1),
    kind: z.string().min(1),
    properties: z
      .object({
        displayName: z.string().optional(),
        severity: Severity.optional(),
        tactics: z.array(z.string()).nullable().optional(),
        techniques: z.array(z.string()).nullable().optional(),
        query: z.string().optional(),
        enabled: z.boolean().optional(),
      })
      .passthrough(),
  })
  .passthrough()
  .superRefine((r, ctx) => {
    if ((r.kind === 'Scheduled' || r.kind === 'NRT') && !r.properties.displayName) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['properties', 'displayName'],
        message: `a ${r.kind} rule needs a displayName`,
      });
    }
  });

// AutomationRules.json: AutomationRuleProperties requires displayName, order, triggeringLogic and actions;
// triggeringLogic requires isEnabled, triggersOn and triggersWhen.
export const AutomationRuleResource = z
  .object({
    name: z.string().min(1),
    properties: z
      .object({
        displayName: z.string(),
        order: z.number().int(),
        triggeringLogic: z
          .object({
            isEnabled: z.boolean(),
            triggersOn: z.string(),
            triggersWhen: z.string(),
            conditions: z.array(z.unknown()).nullable().optional(),
          })
          .passthrough(),
        actions: z.array(z.unknown()),
      })
      .passthrough(),
  })
  .passthrough();

// DataConnectors.json: DataConnector requires kind.
export const DataConnectorResource = z
  .object({
    name: z.string().min(1),
    kind: z.string().min(1),
    properties: z
      .object({
        connectorUiConfig: z.object({ title: z.string().optional() }).passthrough().optional(),
        displayName: z.string().optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();
