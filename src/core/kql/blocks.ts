// Query blocks: runs of non-blank lines (the Kusto Explorer convention). A run made only of `let`
// statements and comments belongs to the block below it, so parameters stay with their query.
// Cheap by design: one pass over the lines, no parsing (CodeLens calls it on every keystroke).

export interface QueryBlock {
  /** 0-based, inclusive. */
  startLine: number;
  /** 0-based, inclusive. */
  endLine: number;
  /** The block's text (lines joined with \n). */
  text: string;
  /** First line that is neither blank nor a comment (where the CodeLens goes), 0-based. */
  firstCodeLine: number;
}

const BLANK = /^\s*$/;
const COMMENT = /^\s*\/\//;
const LET = /^\s*let\b/;

interface Run {
  start: number;
  end: number;
  firstCode: number; // -1 when the run has only comments
  onlyLetsAndComments: boolean;
}

export function splitQueryBlocks(text: string): QueryBlock[] {
  const lines = text.split(/\r?\n/);
  const runs: Run[] = [];
  let current: Run | undefined;
  let inMultilineString = false; // ``` strings may contain blank lines
  let statementOpen = false; // inside a let statement that has not reached its ';' yet

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!inMultilineString && BLANK.test(line)) {
      current = undefined;
      continue;
    }
    if (!current) {
      current = { start: i, end: i, firstCode: -1, onlyLetsAndComments: true };
      runs.push(current);
      statementOpen = false;
    }
    current.end = i;
    const fences = countFences(line);
    const isComment = !inMultilineString && COMMENT.test(line);
    if (!isComment) {
      if (current.firstCode < 0) current.firstCode = i;
      if (!inMultilineString && !statementOpen && !LET.test(line)) current.onlyLetsAndComments = false;
      if (!inMultilineString) statementOpen = LET.test(line) || statementOpen;
      if (statementOpen && /;\s*(\/\/.*)?$/.test(line)) statementOpen = false;
    }
    if (fences % 2 === 1) inMultilineString = !inMultilineString;
  }

  // Merge let-only runs (and comment-only runs) into the next run.
  const blocks: QueryBlock[] = [];
  let pendingStart = -1;
  let pendingFirstCode = -1;
  for (const run of runs) {
    const start = pendingStart >= 0 ? pendingStart : run.start;
    const firstCode = pendingFirstCode >= 0 ? pendingFirstCode : run.firstCode;
    if (run.onlyLetsAndComments && run !== runs[runs.length - 1]) {
      pendingStart = start;
      pendingFirstCode = firstCode;
      continue;
    }
    pendingStart = -1;
    pendingFirstCode = -1;
    if (firstCode < 0) continue; // comments only: nothing to run
    blocks.push({
      startLine: start,
      endLine: run.end,
      text: lines.slice(start, run.end + 1).join('\n'),
      firstCodeLine: firstCode,
    });
  }
  return blocks;
}

/** The block containing a 0-based line, or the nearest block above it. */
export function blockAtLine(blocks: QueryBlock[], line: number): QueryBlock | undefined {
  let found: QueryBlock | undefined;
  for (const b of blocks) {
    if (b.startLine > line) break;
    found = b;
  }
  return found;
}

function countFences(line: string): number {
  let n = 0;
  for (let i = line.indexOf('```'); i >= 0; i = line.indexOf('```', i + 3)) n++;
  return n;
}
