// Types for the page-level functions of hyparquet (exported by its package as `hyparquet/src/*.js`, typed in
// its `types/` folder, which this project's module resolution does not map). Pinned with hyparquet's version.
declare module 'hyparquet/src/column.js' {
  import type { PageHeader } from 'hyparquet/src/types.js';
  export function parquetHeader(reader: { view: DataView; offset: number }): PageHeader;
}

declare module 'hyparquet/src/datapage.js' {
  import type {
    ColumnDecoder,
    CompressionCodec,
    Compressors,
    DataPage,
    DataPageHeader,
    PageHeader,
  } from 'hyparquet/src/types.js';
  export function readDataPage(bytes: Uint8Array, daph: DataPageHeader, decoder: ColumnDecoder): DataPage;
  export function readDataPageV2(compressedBytes: Uint8Array, ph: PageHeader, decoder: ColumnDecoder): DataPage;
  export function decompressPage(
    bytes: Uint8Array,
    uncompressedSize: number,
    codec: CompressionCodec,
    compressors: Compressors | undefined,
  ): Uint8Array;
}

declare module 'hyparquet/src/plain.js' {
  import type { DecodedArray, ParquetType } from 'hyparquet/src/types.js';
  export function readPlain(
    reader: { view: DataView; offset: number },
    type: ParquetType,
    count: number,
    fixedLength: number | undefined,
  ): DecodedArray;
}

declare module 'hyparquet/src/convert.js' {
  import type { ColumnDecoder, DecodedArray, ParquetParsers } from 'hyparquet/src/types.js';
  export const DEFAULT_PARSERS: ParquetParsers;
  export function convert(data: DecodedArray, decoder: ColumnDecoder): DecodedArray;
}
