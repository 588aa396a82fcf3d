// Translates the official analyzer's syntax tree into the engine IR (ir.ts): syntax.ts reads the tree, scalar.ts
// translates expressions, tabular.ts statements and operators.
export { Translator } from './tabular';
export type { Translation } from './tabular';
export { AGGREGATES, kindName } from './syntax';
