// Entry point of the local MCP server child process (stdio). Logs go to stderr only.
process.stderr.write('[error] the local MCP server is not available yet in this version\n');
process.exitCode = 1;
