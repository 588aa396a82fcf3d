// Entry of dist/language-client.js: the LSP client library, loaded when the first KQL document opens.
export { LanguageClient, TransportKind } from 'vscode-languageclient/node';
