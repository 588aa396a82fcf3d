import { strict as assert } from 'assert';
import { KqlError } from '../../../src/core/errors';
import { call, dt } from './helpers';

const S = 'string' as const;

describe('kql functions: URLs, encodings, hashes', () => {
  it('parse_url splits every part and decodes the query', () => {
    const r = call(
      'parse_url',
      ['scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v%202#fragment'],
      [S],
    ) as Record<string, unknown>;
    assert.deepEqual(r, {
      Scheme: 'scheme',
      Host: 'host',
      Port: '1234',
      Path: '/this/is/a/path',
      Username: 'username',
      Password: 'password',
      'Query Parameters': { k1: 'v1', k2: 'v 2' },
      Fragment: 'fragment',
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
    assert.equal(
      call('url_encode', ['https://www.bing.com/hello world'], [S], S),
      'https%3a%2f%2fwww.bing.com%2fhello+world',
    );
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
    assert.equal(
      call('base64_encode_fromguid', ['ae3133f2-6e22-49ae-b06a-16e6a9b212eb'], ['guid'], S),
      '8jMxriJurkmwahbmqbIS6w==',
    );
  });

  it('hashes: sha256/sha1/md5 of strings, xxhash64 hash() with modulo', () => {
    assert.equal(
      call('hash_sha256', ['World'], [S], S),
      '78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524',
    );
    assert.equal(call('hash_sha1', ['World'], [S], S), '70c07ec18ef89c5309bbb0937f3a6342411e1fdd');
    assert.equal(call('hash_md5', ['World'], [S], S), 'f5a7924e621e84c9280a9a27e1bcb7f6');
    assert.equal(call('hash', ['World', 100], [S, 'long'], 'long'), 51);
    assert.ok(Math.abs((call('hash', ['World'], [S], 'long') as number) - 1846988464401551951) < 1e4);
    assert.ok(Math.abs((call('hash', [dt('2015-01-01')], ['datetime'], 'long') as number) - 1380966698541616202) < 1e4);
    assert.equal(call('hash_md5', [dt('2020-01-01')], ['datetime'], S), '786c530672d1f8db31fee25ea8a9390b');
  });

  it('compression round trips and bad input gives null', () => {
    const z = call('zlib_compress_to_base64_string', ['1234567890qwertyuiop'], [S], S) as string;
    assert.equal(call('zlib_decompress_from_base64_string', [z], [S], S), '1234567890qwertyuiop');
    assert.equal(
      call('zlib_decompress_from_base64_string', ['eJwLSS0uUSguKcrMS1cwNDIGACxqBQ4='], [S], S),
      'Test string 123',
    );
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
    assert.throws(
      () => call('parse_version', ['1.2.3.4'], [S], 'decimal'),
      KqlError,
      'beyond double precision is refused, not rounded',
    );
    assert.deepEqual(call('parse_command_line', ['echo "hello world!"', 'windows'], [S, S]), ['echo', 'hello world!']);
    assert.deepEqual(call('parse_csv', ['aa,"b,b,b",cc,"Escaping quotes: ""Title"""'], [S]), [
      'aa',
      'b,b,b',
      'cc',
      'Escaping quotes: "Title"',
    ]);
  });
});

describe('kql functions: parse_xml, punycode, parse_user_agent', () => {
  it('parse_xml follows the documented XML-to-dynamic rules', () => {
    const x = (xml: string) => call('parse_xml', [xml], [S]);
    assert.deepEqual(x('<e/>'), { e: null });
    assert.deepEqual(x('<e>text</e>'), { e: 'text' });
    assert.deepEqual(x('<e name="value" />'), { e: { '@name': 'value' } });
    assert.deepEqual(x('<e name="value">text</e>'), { e: { '@name': 'value', '#text': 'text' } });
    assert.deepEqual(x('<e> <a>1</a> <a>2</a> <a>3</a> </e>'), { e: { a: ['1', '2', '3'] } });
    assert.deepEqual(x('<e> text <a>text</a> </e>'), { e: { '#text': 'text', a: 'text' } });
    assert.deepEqual(
      x(
        '<?xml version="1.0"?><DataItem><EventData><Data Name="User">bob &amp; co</Data><Data Name="Ip"><![CDATA[1.2.3.4]]></Data></EventData></DataItem>',
      ),
      {
        DataItem: {
          EventData: {
            Data: [
              { '@Name': 'User', '#text': 'bob & co' },
              { '@Name': 'Ip', '#text': '1.2.3.4' },
            ],
          },
        },
      },
    );
    assert.equal(x('<a><b></a>'), null);
    assert.equal(x('not xml'), null);
    assert.equal(x(''), null);
  });

  it('punycode encodes and decodes strings and domains', () => {
    assert.equal(call('punycode_from_string', ['académie-française'], [S], S), 'acadmie-franaise-npb1a');
    assert.equal(call('punycode_to_string', ['acadmie-franaise-npb1a'], [S], S), 'académie-française');
    assert.equal(call('punycode_from_string', ['艺术'], [S], S), 'cqv902d');
    assert.equal(
      call('punycode_domain_from_string', ['xn--Ry-lja8c.xn--Jng-uta63a.xn--Bng-9ka.com'], [S], S),
      'Rúyì.Jīngū.Bàng.com',
    );
    assert.equal(
      call('punycode_domain_to_string', ['Riðill｡Skáldskaparmál｡org'], [S], S),
      'xn--Riill-jta.xn--Skldskaparml-dbbj.org',
    );
    assert.equal(call('punycode_to_string', ['%%%'], [S], S), null);
  });

  it('parse_user_agent recognises common browsers, systems and devices', () => {
    const edge =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91';
    assert.deepEqual(call('parse_user_agent', [edge, ['browser', 'os', 'device']], [S, 'dynamic']), {
      Browser: { Family: 'Edge', MajorVersion: '120', MinorVersion: '0', Patch: '2210' },
      OperatingSystem: { Family: 'Windows', MajorVersion: '10', MinorVersion: '', Patch: '', PatchMinor: '' },
      Device: { Family: 'Other', Brand: '', Model: '' },
    });
    const iphone =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';
    assert.deepEqual(call('parse_user_agent', [iphone, 'browser'], [S, S]), {
      Browser: { Family: 'Mobile Safari', MajorVersion: '17', MinorVersion: '1', Patch: '' },
    });
    assert.equal((call('parse_user_agent', [iphone, 'os'], [S, S]) as any).OperatingSystem.Family, 'iOS');
    assert.deepEqual(call('parse_user_agent', ['something odd', 'browser'], [S, S]), {
      Browser: { Family: 'Other', MajorVersion: '', MinorVersion: '', Patch: '' },
    });
    assert.throws(() => call('parse_user_agent', [edge, 'engine'], [S, S]), KqlError);
  });
});
