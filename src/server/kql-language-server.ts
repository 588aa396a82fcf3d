// Entry point of the KQL language server child process.
process.stderr.write('[error] the KQL language server is not available yet in this version\n');
process.exitCode = 1;
