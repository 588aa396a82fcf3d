// The parts of hyparquet the Parquet reader uses, in one module: the built CLI and servers load it as a side
// bundle (dist/hyparquet-lib.js) on the first Parquet table, which keeps the reader out of their start-up.
export { parquetMetadata, parquetRead, parquetSchema } from 'hyparquet';
export { parquetHeader } from 'hyparquet/src/column.js';
export { convert, DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
export { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js';
export { readPlain } from 'hyparquet/src/plain.js';
