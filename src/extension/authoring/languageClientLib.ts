// Entry of dist/language-client.js: the LSP client library, loaded when the first KQL document opens, and the
// advanced-hunting tables that the client sends the server (the built-in schemas stay out of activation).
export { LanguageClient, TransportKind } from 'vscode-languageclient/node';
export { advancedHuntingTables } from '../../core/backends/defender/schema';
