// The checklist panel's view type, in its own module: activation registers the serializer with it while the
// panel code itself stays in a bundle loaded on first use.
export const CHECKLIST_VIEW_TYPE = 'sentinelWorkbench.checklist';
