// Sentinel's limits on the text of an incident, in one place: both backends check them, the local MCP server
// declares them in its tool schemas, and the editor's input boxes and the incident page hold to them.
import { UserError } from '../errors';

/** Characters in an incident comment. */
export const MAX_COMMENT_CHARS = 30_000;
/** Characters in the comment that closes an incident with a classification. */
export const MAX_CLOSING_COMMENT_CHARS = 3_000;

/** "30,000 characters" */
export function characters(max: number): string {
  return `${max.toLocaleString('en-US')} characters`;
}

/** A new comment's text, trimmed; empty or too long is a UserError that says so. */
export function checkCommentText(message: string): string {
  const text = message.trim();
  if (!text) throw new UserError('a comment needs some text');
  if (text.length > MAX_COMMENT_CHARS)
    throw new UserError(`a comment can hold at most ${characters(MAX_COMMENT_CHARS)}`);
  return text;
}
