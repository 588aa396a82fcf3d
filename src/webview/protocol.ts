// Typed webview messages shared by hosts and pages. Each webview adds its own section.
export interface ReadyMessage {
  type: 'ready';
}
