// The base of every tree node the extension's views show. A command invoked from a view's context menu
// receives the node; the command argument parser recognises it by this class.
export abstract class ViewNode {}
