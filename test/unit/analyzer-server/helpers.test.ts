import * as assert from 'assert';
import { haversineKm, impossibleTravel } from '../../../src/core/analyzer/reasoning/geo';
import { findLookAlike, registrableDomain, skeleton } from '../../../src/core/analyzer/reasoning/lookalike';
import { credentialHarvestShape } from '../../../src/core/analyzer/reasoning/urlRules';
import { forwardingTargets, internalTargets } from '../../../src/core/analyzer/reasoning/userActivityRules';

const bin = (hour: string, lat: number, lon: number, loc = '') => ({
  Hour: hour,
  Latitude: lat,
  Longitude: lon,
  Location: loc,
});

describe('analyzer pure helpers', () => {
  describe('impossible travel', () => {
    it('flags Chicago → Shenzhen an hour apart and reports the speed', () => {
      const trip = impossibleTravel([
        bin('2027-03-08T10:00:00Z', 41.88, -87.63, 'US'),
        bin('2027-03-08T11:00:00Z', 22.54, 114.06, 'CN'),
      ]);
      assert.ok(trip);
      assert.strictEqual(trip.pair[1].Location, 'CN');
      assert.strictEqual(trip.hours, 2, 'hour bins use the upper bound of the gap');
      assert.ok(trip.km > 12_000 && trip.km < 13_500, String(trip.km));
      assert.ok(trip.kmh > 900);
    });

    it('does not flag a flight-speed journey or a short hop', () => {
      // Frankfurt → Lyon is about 470 km: under the 500 km floor even within an hour.
      assert.strictEqual(
        impossibleTravel([bin('2027-03-08T10:00:00Z', 50.11, 8.68), bin('2027-03-08T11:00:00Z', 45.76, 4.84)]),
        undefined,
      );
      // Chicago → Manchester in 9 hours is a flight (≈ 6,100 km / 10 h < 900 km/h).
      assert.strictEqual(
        impossibleTravel([bin('2027-03-08T01:00:00Z', 41.88, -87.63), bin('2027-03-08T10:00:00Z', 53.48, -2.24)]),
        undefined,
      );
    });

    it('ignores rows without coordinates and picks the fastest hop regardless of row order', () => {
      const trip = impossibleTravel([
        bin('2027-03-08T12:00:00Z', 34.69, 135.5, 'JP'),
        bin('2027-03-08T10:00:00Z', 41.88, -87.63, 'US'),
        bin('2027-03-08T11:00:00Z', 0, 0, '??'),
      ]);
      assert.ok(trip);
      assert.deepStrictEqual([trip.pair[0].Location, trip.pair[1].Location], ['US', 'JP']);
    });

    it('haversine distance is symmetric and zero for the same point', () => {
      assert.strictEqual(haversineKm(1, 2, 1, 2), 0);
      assert.ok(Math.abs(haversineKm(41.88, -87.63, 53.48, -2.24) - haversineKm(53.48, -2.24, 41.88, -87.63)) < 1e-9);
      assert.ok(Math.abs(haversineKm(0, 0, 0, 1) - 111.19) < 0.1);
    });
  });

  describe('registrable domain', () => {
    it('keeps two labels, three under a two-letter country code second level', () => {
      assert.strictEqual(registrableDomain('a.b.example.com'), 'example.com');
      assert.strictEqual(registrableDomain('portal.example.co.uk'), 'example.co.uk');
      assert.strictEqual(registrableDomain('example.com.'), 'example.com');
      assert.strictEqual(registrableDomain('localhost'), 'localhost');
      assert.strictEqual(registrableDomain('www.example.de'), 'example.de');
    });
  });

  describe('look-alike detection', () => {
    const targets = ['fabrikam.example', 'microsoft.com', 'paypal.com'];
    it('finds digit homoglyphs, punycode homoglyphs, typosquats and brands in the name', () => {
      assert.strictEqual(findLookAlike('rnicrosoft.com', targets)?.kind, 'homoglyph');
      assert.strictEqual(findLookAlike('paypa1-secure.com', targets)?.imitates, 'paypal.com');
      assert.strictEqual(findLookAlike('microsofft.com', targets)?.kind, 'typosquat');
      assert.strictEqual(findLookAlike('microsoft-billing.net', targets)?.kind, 'brand-in-name');
      assert.strictEqual(findLookAlike('microsoft.com.evil.example', targets)?.kind, 'brand-in-name');
      const puny = findLookAlike('xn--mcrosoft-thh.com', targets);
      assert.ok(puny, 'a Cyrillic і in microsoft');
      assert.strictEqual(puny.kind, 'punycode');
      assert.strictEqual(puny.imitates, 'microsoft.com');
    });

    it('decodes any other punycode domain and shows it', () => {
      const l = findLookAlike('xn--bcher-kva.example', targets);
      assert.ok(l);
      assert.strictEqual(l.imitates, '');
      assert.strictEqual(l.displayHost, 'bücher.example');
      assert.match(l.explanation, /bücher\.example/);
    });

    it('leaves genuine domains, their subdomains and unrelated names alone', () => {
      assert.strictEqual(findLookAlike('login.microsoft.com', targets), undefined);
      assert.strictEqual(findLookAlike('fabrikam.example', targets), undefined);
      assert.strictEqual(findLookAlike('new-supplier.example', targets), undefined);
      assert.strictEqual(skeleton('c0nt0so'), 'contoso');
    });
  });

  describe('credential-harvest shapes', () => {
    it('recognises login forms, OAuth endpoints and a mailbox in the query string', () => {
      assert.strictEqual(credentialHarvestShape('https://x.example/auth/login.php?user=a@b.example'), 'auth');
      assert.strictEqual(credentialHarvestShape('https://x.example/portal/login.php?user=a@b.example'), 'login.php');
      assert.strictEqual(credentialHarvestShape('https://x.example/common/oauth2/authorize?client_id=1'), 'oauth2');
      assert.ok(credentialHarvestShape('https://x.example/view.php?id=1&email=a%40b.example'));
      assert.ok(credentialHarvestShape('https://x.example/signin'));
      assert.ok(credentialHarvestShape('https://x.example/owa/'));
    });
    it('leaves ordinary pages alone', () => {
      for (const u of [
        'https://x.example/products/catalog',
        'https://x.example/blog/authors',
        'https://x.example/news?id=4',
        'https://x.example/payroll/update',
      ]) {
        assert.strictEqual(credentialHarvestShape(u), undefined, u);
      }
    });
  });

  describe('forwarding targets', () => {
    const details = JSON.stringify({
      Parameters: [
        { Name: 'Identity', Value: 'x' },
        { Name: 'ForwardingSmtpAddress', Value: 'smtp:x.home@freemail.example.com' },
        { Name: 'ForwardTo', Value: 'a@fabrikam.example;b@sub.fabrikam.example' },
      ],
    });
    it('reads the addresses a mailbox or rule forwards to', () => {
      assert.deepStrictEqual(forwardingTargets(details), [
        'x.home@freemail.example.com',
        'a@fabrikam.example',
        'b@sub.fabrikam.example',
      ]);
    });
    it('is internal only when every address is in a tenant domain', () => {
      assert.strictEqual(
        internalTargets(['a@fabrikam.example', 'b@sub.fabrikam.example', 'Assistant Name'], ['fabrikam.example']),
        true,
      );
      assert.strictEqual(internalTargets(forwardingTargets(details), ['fabrikam.example']), false);
      assert.strictEqual(internalTargets([], ['fabrikam.example']), false);
      assert.strictEqual(internalTargets(['a@fabrikam.example.evil.example'], ['fabrikam.example']), false);
    });
  });
});
