import { strict as assert } from 'assert';
import { call } from './helpers';

const S = 'string' as const;

describe('kql functions: IP addresses', () => {
  it('ipv4_is_private knows the RFC 1918 ranges and honours a CIDR suffix', () => {
    assert.equal(call('ipv4_is_private', ['10.1.2.3'], [S], 'bool'), true);
    assert.equal(call('ipv4_is_private', ['192.168.1.1/24'], [S], 'bool'), true);
    assert.equal(call('ipv4_is_private', ['172.31.255.1'], [S], 'bool'), true);
    assert.equal(call('ipv4_is_private', ['172.32.0.1'], [S], 'bool'), false);
    assert.equal(call('ipv4_is_private', ['127.0.0.1'], [S], 'bool'), false);
    assert.equal(call('ipv4_is_private', ['not an ip'], [S], 'bool'), null);
    assert.equal(call('ipv4_is_private', [''], [S], 'bool'), null);
  });

  it('compares and matches with the shortest prefix', () => {
    assert.equal(call('ipv4_compare', ['192.168.1.1/24', '192.168.1.255'], [S, S], 'long'), 0);
    assert.equal(call('ipv4_compare', ['192.168.1.1', '192.168.1.255'], [S, S], 'long'), -1);
    assert.equal(call('ipv4_compare', ['192.168.1.1', '192.168.1.0', 31], [S, S, 'long'], 'long'), 0);
    assert.equal(call('ipv4_is_match', ['192.168.1.1/30', '192.168.1.255/24'], [S, S], 'bool'), true);
    assert.equal(call('ipv4_is_match', ['256.1.1.1', '1.1.1.1'], [S, S], 'bool'), null);
  });

  it('range checks take one range or any of several', () => {
    assert.equal(call('ipv4_is_in_range', ['192.168.1.1', '192.168.1.255/24'], [S, S], 'bool'), true);
    assert.equal(call('ipv4_is_in_range', ['192.168.2.1', '192.168.1.0/24'], [S, S], 'bool'), false);
    assert.equal(
      call('ipv4_is_in_any_range', ['192.168.1.6', '192.168.1.1/24', '10.0.0.1/8'], [S, S, S], 'bool'),
      true,
    );
    assert.equal(
      call('ipv4_is_in_any_range', ['1.1.1.1', ['192.168.1.1/16', '10.0.0.1/8']], [S, 'dynamic'], 'bool'),
      false,
    );
  });

  it('parses, masks and formats', () => {
    assert.equal(call('parse_ipv4', ['127.0.0.1'], [S], 'long'), 2130706433);
    assert.equal(call('parse_ipv4', ['192.1.168.1/24'], [S], 'long'), 3221334016);
    assert.equal(call('parse_ipv4_mask', ['192.1.168.2', 24], [S, 'long'], 'long'), 3221334016);
    assert.equal(call('format_ipv4', ['192.168.1.1', 24], [S, 'long'], S), '192.168.1.0');
    assert.equal(call('format_ipv4', [3232235777], ['long'], S), '192.168.1.1');
    assert.equal(call('format_ipv4_mask', ['192.168.1.1/24', 32], [S, 'long'], S), '192.168.1.0/24');
    assert.equal(call('format_ipv4_mask', ['192.168.1.1/24', -1], [S, 'long'], S), '');
    assert.equal(call('ipv4_netmask_suffix', ['127.0.0.1/16'], [S], 'int'), 16);
    assert.deepEqual(call('ipv4_range_to_cidr_list', ['1.1.128.0', '1.1.140.255'], [S, S]), [
      '1.1.128.0/21',
      '1.1.136.0/22',
      '1.1.140.0/24',
    ]);
  });

  it('finds well-delimited addresses in text', () => {
    const log = '05:04:54 127.0.0.1 GET /favicon.ico 404';
    assert.equal(call('has_ipv4', [log, '127.0.0.1'], [S, S], 'bool'), true);
    assert.equal(call('has_ipv4', ['05:04:54127.0.0.1 GET', '127.0.0.1'], [S, S], 'bool'), false);
    assert.equal(call('has_ipv4', ['x 127.0.0.256 y', '127.0.0.256'], [S, S], 'bool'), false);
    assert.equal(call('has_ipv4_prefix', [log, '127.0.'], [S, S], 'bool'), true);
    assert.equal(call('has_ipv4_prefix', [log, '127.0'], [S, S], 'bool'), false);
    assert.equal(call('has_any_ipv4', [log, ['127.0.0.1', '127.0.0.2']], [S, 'dynamic'], 'bool'), true);
    assert.equal(call('has_any_ipv4_prefix', [log, '10.', '127.'], [S, S, S], 'bool'), true);
  });

  it('handles IPv6, including IPv4-mapped addresses', () => {
    assert.equal(call('parse_ipv6', ['127.0.0.1'], [S], S), '0000:0000:0000:0000:0000:ffff:7f00:0001');
    assert.equal(
      call('parse_ipv6', ['fe80::85d:e82c:9446:7994/120'], [S], S),
      'fe80:0000:0000:0000:085d:e82c:9446:7900',
    );
    assert.equal(
      call('parse_ipv6_mask', ['192.168.255.255', 120], [S, 'long'], S),
      '0000:0000:0000:0000:0000:ffff:c0a8:ff00',
    );
    assert.equal(
      call('parse_ipv6_mask', ['::192.168.255.255/24', 128], [S, 'long'], S),
      '0000:0000:0000:0000:0000:ffff:c0a8:ff00',
    );
    assert.equal(
      call('parse_ipv6_mask', ['::192.168.255.255', 128], [S, 'long'], S),
      '0000:0000:0000:0000:0000:ffff:c0a8:ffff',
    );
    assert.equal(call('ipv6_compare', ['192.168.1.1', '::ffff:c0a8:0101'], [S, S], 'long'), 0);
    assert.equal(call('ipv6_compare', ['fe80::85d:e82c:9446:7994/120', 'fe80::85d:e82c:9446:7998'], [S, S], 'long'), 0);
    assert.equal(
      call('ipv6_is_match', ['fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7995', 127], [S, S, 'long'], 'bool'),
      true,
    );
    assert.equal(
      call(
        'ipv6_is_in_range',
        ['a5e:f127:8a9d:146d:e102:b5d3:c755:abcd', 'a5e:f127:8a9d:146d:e102:b5d3:c755:0000/112'],
        [S, S],
        'bool',
      ),
      true,
    );
    assert.equal(call('ipv6_compare', ['1::2::3', '::1'], [S, S], 'long'), null);
  });
});
