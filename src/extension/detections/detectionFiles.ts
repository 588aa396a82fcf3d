// Entry of dist/detection-files.js: reading and writing detection test files with the YAML library, loaded
// when the Testing view first outlines a test file or "Create test…" runs (not at activation).
export { outlineTestFile } from '../../core/detections/outline';
export { scaffoldTest } from '../../core/detections/scaffold';
