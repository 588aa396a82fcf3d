import { strict as assert } from 'assert';
import { KqlError } from '../../../src/core/errors';
import { call, dt } from './helpers';

const S = 'string' as const;

describe('kql functions: URLs, encodings, hashes', () => {
  it('parse_url splits every part and decodes the query', () => {
    const r = call('parse_url', ['scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v%202#fragment'], [S]) as Record<string, unknown>;
    assert.deepEqual(r, {
      Scheme: 'scheme', Host: 'host', Port: '1234', Path: '/this/is/a/path', Username: 'username', Password: 'password',
      'Query Parameters': { k1: 'v1', k2: 'v 2' }, Fragment: 'fragment',
    });
    assert.equal(call('parse_url', ['not a url'], [S]), null);
    assert.deepEqual(call('parse_urlquery', ['k1=v1&k2=v2'], [S]), { 'Query Parameters': { k1: 'v1', k2: 'v2' } });
  });

  it('parse_path splits Windows and POSIX paths', () => {
    const r = call('parse_path', ['C:\\temp\\file.txt'], [S]) as Record<string, string>;
    assert.equal(r.DirectoryPath, 'C:\\temp');
    assert.equal(r.Filename, 'file.txt');
    assert.equal(r.Extension, 'txt');
    assert.equal(r.RootPath, 'C:');
  });

  it('url_encode/url_encode_component/url_decode', () => {
    assert.equal(call('url_encode', ['https://www.bing.com/hello world'], [S], S), 'https%3a%2f%2fwww.bing.com%2fhello+world');
    assert.equal(call('url_encode_component', ['a b/'], [S], S), 'a%20b%2f');
    assert.equal(call('url_decode', ['https%3a%2f%2fwww.bing.com%2f'], [S], S), 'https://www.bing.com/');
    assert.equal(call('url_decode', ['%E0%A4%A'], [S], S), null);
  });

  it('base64 round trips; invalid input gives null or empty', () => {
    assert.equal(call('base64_encode_tostring', ['Kusto'], [S], S), 'S3VzdG8=');
    assert.equal(call('base64_decode_tostring', ['S3VzdG8='], [S], S), 'Kusto');
    assert.equal(call('base64_decode_tostring', ['U3RyaW5n0KHR0tGA0L7Rh9C60LA='], [S], S), '');
    assert.deepEqual(call('base64_decode_toarray', ['S3VzdG8='], [S]), [75, 117, 115, 116, 111]);
    assert.equal(call('base64_decode_toarray', ['S3VzdG8'], [S]), null);
    assert.equal(call('base64_encode_fromarray', [[75, 117, 115, 116, 111]], ['dynamic'], S), 'S3VzdG8=');
    assert.equal(call('base64_encode_fromguid', ['ae3133f2-6e22-49ae-b06a-16e6a9b212eb'], ['guid'], S), '8jMxriJurkmwahbmqbIS6w==');
  });

  it('hashes: sha256/sha1/md5 of strings, xxhash64 hash() with modulo', () => {
    assert.equal(call('hash_sha256', ['World'], [S], S), '78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524');
    assert.equal(call('hash_sha1', ['World'], [S], S), '70c07ec18ef89c5309bbb0937f3a6342411e1fdd');
    assert.equal(call('hash_md5', ['World'], [S], S), 'f5a7924e621e84c9280a9a27e1bcb7f6');
    assert.equal(call('hash', ['World', 100], [S, 'long'], 'long'), 51);
    assert.ok(Math.abs((call('hash', ['World'], [S], 'long') as number) - 1846988464401551951) < 1e4);
    assert.ok(Math.abs((call('hash', [dt('2015-01-01')], ['datetime'], 'long') as number) - 1380966698541616202) < 1e4);
    assert.throws(() => call('hash_md5', [dt('2020-01-01')], ['datetime'], S), KqlError);
  });

  it('compression round trips and bad input gives null', () => {
    const z = call('zlib_compress_to_base64_string', ['1234567890qwertyuiop'], [S], S) as string;
    assert.equal(call('zlib_decompress_from_base64_string', [z], [S], S), '1234567890qwertyuiop');
    assert.equal(call('zlib_decompress_from_base64_string', ['eJwLSS0uUSguKcrMS1cwNDIGACxqBQ4='], [S], S), 'Test string 123');
    const g = call('gzip_compress_to_base64_string', ['abc'], [S], S) as string;
    assert.equal(call('gzip_decompress_from_base64_string', [g], [S], S), 'abc');
    assert.equal(call('gzip_decompress_from_base64_string', ['x0x0x0'], [S], S), null);
  });

  it('format_bytes, parse_version, parse_command_line, parse_csv', () => {
    assert.equal(call('format_bytes', [564], ['long'], S), '564 Bytes');
    assert.equal(call('format_bytes', [10332, 1], ['long', 'long'], S), '10.1 KB');
    assert.equal(call('format_bytes', [20010332, 0, 'KB'], ['long', 'long', S], S), '19541 KB');
    assert.equal(call('parse_version', ['0.0.7.0'], [S], 'decimal'), 700000000);
    assert.equal(call('parse_version', ['a.b'], [S], 'decimal'), null);
    assert.throws(() => call('parse_version', ['1.2.3.4'], [S], 'decimal'), KqlError, 'beyond double precision is refused, not rounded');
    assert.deepEqual(call('parse_command_line', ['echo "hello world!"', 'windows'], [S, S]), ['echo', 'hello world!']);
    assert.deepEqual(call('parse_csv', ['aa,"b,b,b",cc,"Escaping quotes: ""Title"""'], [S]), ['aa', 'b,b,b', 'cc', 'Escaping quotes: "Title"']);
  });
});
