// Unit conversions (convert_*) and the beta distribution functions.
import { defineFunctions, type CallContext, type FunctionBody, type Value } from './define';
import { argType, num, str } from './helpers';

type Table = Record<string, number>;

/** Size of one unit in the quantity's base unit. */
const LENGTH: Table = {
  Meter: 1,
  Kilometer: 1e3,
  Hectometer: 100,
  Decameter: 10,
  Decimeter: 0.1,
  Centimeter: 0.01,
  Millimeter: 1e-3,
  Micrometer: 1e-6,
  Nanometer: 1e-9,
  Foot: 0.3048,
  UsSurveyFoot: 1200 / 3937,
  Inch: 0.0254,
  Yard: 0.9144,
  Mile: 1609.344,
  NauticalMile: 1852,
  Mil: 2.54e-5,
  Microinch: 2.54e-8,
  Hand: 0.1016,
  Fathom: 1.8288,
  Chain: 20.1168,
  Shackle: 27.432,
  AstronomicalUnit: 1.495978707e11,
  LightYear: 9.46073047258e15,
  Parsec: 3.08567758128e16,
  Kiloparsec: 3.08567758128e19,
  Megaparsec: 3.08567758128e22,
  Kilofoot: 304.8,
  Kiloyard: 914.4,
  Megameter: 1e6,
  Gigameter: 1e9,
  DtpPoint: 0.0254 / 72,
  PrinterPoint: 0.0254 / 72.27,
  DtpPica: 0.0254 / 6,
  PrinterPica: 0.0254 / 6.0225,
  Twip: 0.0254 / 1440,
};
const MASS: Table = {
  Kilogram: 1,
  Gram: 1e-3,
  Decagram: 1e-2,
  Hectogram: 0.1,
  Decigram: 1e-4,
  Centigram: 1e-5,
  Milligram: 1e-6,
  Microgram: 1e-9,
  Nanogram: 1e-12,
  Tonne: 1e3,
  Kilotonne: 1e6,
  Megatonne: 1e9,
  Pound: 0.45359237,
  Kilopound: 453.59237,
  Megapound: 453592.37,
  Ounce: 0.028349523125,
  Stone: 6.35029318,
  ShortTon: 907.18474,
  LongTon: 1016.0469088,
  Grain: 6.479891e-5,
  Slug: 14.593902937206,
  ShortHundredweight: 45.359237,
  LongHundredweight: 50.80234544,
  EarthMass: 5.9722e24,
  SolarMass: 1.98947e30,
};
const ENERGY: Table = {
  Joule: 1,
  Kilojoule: 1e3,
  Megajoule: 1e6,
  Gigajoule: 1e9,
  Terajoule: 1e12,
  Millijoule: 1e-3,
  Calorie: 4.184,
  Kilocalorie: 4184,
  WattHour: 3600,
  KilowattHour: 3.6e6,
  MegawattHour: 3.6e9,
  GigawattHour: 3.6e12,
  TerawattHour: 3.6e15,
  ElectronVolt: 1.602176634e-19,
  KiloelectronVolt: 1.602176634e-16,
  MegaelectronVolt: 1.602176634e-13,
  GigaelectronVolt: 1.602176634e-10,
  Erg: 1e-7,
  BritishThermalUnit: 1055.05585262,
  KilobritishThermalUnit: 1055055.85262,
  MegabritishThermalUnit: 1055055852.62,
  FootPound: 1.3558179483314,
  ThermEc: 105505585.262,
  ThermUs: 105480400,
  ThermImperial: 105505585.257348,
  HorsepowerHour: 2684519.537696172792,
  DecathermEc: 1055055852.62,
};
const FORCE: Table = {
  Newton: 1,
  Decanewton: 10,
  Kilonewton: 1e3,
  Meganewton: 1e6,
  Millinewton: 1e-3,
  Micronewton: 1e-6,
  Nanonewton: 1e-9,
  Dyn: 1e-5,
  KilogramForce: 9.80665,
  TonneForce: 9806.65,
  PoundForce: 4.4482216152605,
  KilopoundForce: 4448.2216152605,
  OunceForce: 0.27801385095378125,
  Poundal: 0.138254954376,
  ShortTonForce: 8896.443230521,
  KiloPond: 9.80665,
};
const SPEED: Table = {
  MeterPerSecond: 1,
  MeterPerMinute: 1 / 60,
  MeterPerHour: 1 / 3600,
  KilometerPerSecond: 1e3,
  KilometerPerMinute: 1e3 / 60,
  KilometerPerHour: 1 / 3.6,
  CentimeterPerSecond: 0.01,
  CentimeterPerMinute: 0.01 / 60,
  CentimeterPerHour: 0.01 / 3600,
  MillimeterPerSecond: 1e-3,
  MillimeterPerMinute: 1e-3 / 60,
  MillimeterPerHour: 1e-3 / 3600,
  DecimeterPerSecond: 0.1,
  DecimeterPerMinute: 0.1 / 60,
  MicrometerPerSecond: 1e-6,
  MicrometerPerMinute: 1e-6 / 60,
  NanometerPerSecond: 1e-9,
  NanometerPerMinute: 1e-9 / 60,
  FootPerSecond: 0.3048,
  FootPerMinute: 0.3048 / 60,
  FootPerHour: 0.3048 / 3600,
  InchPerSecond: 0.0254,
  InchPerMinute: 0.0254 / 60,
  InchPerHour: 0.0254 / 3600,
  YardPerSecond: 0.9144,
  YardPerMinute: 0.9144 / 60,
  YardPerHour: 0.9144 / 3600,
  MilePerHour: 0.44704,
  Knot: 1852 / 3600,
  Mach: 340.29,
  UsSurveyFootPerSecond: 1200 / 3937,
  UsSurveyFootPerMinute: 1200 / 3937 / 60,
  UsSurveyFootPerHour: 1200 / 3937 / 3600,
};
const ANGLE: Table = {
  Degree: 1,
  Radian: 180 / Math.PI,
  Milliradian: 0.18 / Math.PI,
  Microradian: 1.8e-4 / Math.PI,
  Nanoradian: 1.8e-7 / Math.PI,
  Centiradian: 1.8 / Math.PI,
  Deciradian: 18 / Math.PI,
  Arcminute: 1 / 60,
  Arcsecond: 1 / 3600,
  Gradian: 0.9,
  Revolution: 360,
  Millidegree: 1e-3,
  Microdegree: 1e-6,
  Nanodegree: 1e-9,
  NatoMil: 360 / 6400,
};
const VOLUME: Table = {
  CubicMeter: 1,
  Liter: 1e-3,
  Deciliter: 1e-4,
  Centiliter: 1e-5,
  Milliliter: 1e-6,
  Microliter: 1e-9,
  Hectoliter: 0.1,
  Kiloliter: 1,
  Megaliter: 1e3,
  CubicKilometer: 1e9,
  CubicDecimeter: 1e-3,
  CubicCentimeter: 1e-6,
  CubicMillimeter: 1e-9,
  CubicMicrometer: 1e-18,
  CubicFoot: 0.028316846592,
  CubicInch: 1.6387064e-5,
  CubicYard: 0.764554857984,
  CubicMile: 4168181825.440579584,
  AcreFoot: 1233.48183754752,
  UsGallon: 0.003785411784,
  ImperialGallon: 0.00454609,
  UsQuart: 9.46352946e-4,
  UsPint: 4.73176473e-4,
  UsOunce: 2.95735295625e-5,
  ImperialOunce: 2.84130625e-5,
  UsCustomaryCup: 2.365882365e-4,
  MetricCup: 2.5e-4,
  UsTablespoon: 1.478676478125e-5,
  UsTeaspoon: 4.92892159375e-6,
  OilBarrel: 0.158987294928,
  UsBeerBarrel: 0.1173477658,
  ImperialBeerBarrel: 0.16365924,
};

function converter(table: Table): FunctionBody {
  return ([value, from, to]: Value[], ctx: CallContext) => {
    const v = num(value);
    const f = table[str(from, argType(ctx, 1))];
    const t = table[str(to, argType(ctx, 2))];
    if (v === null || f === undefined || t === undefined) return null;
    return (v * f) / t;
  };
}

const TEMPERATURE: Record<string, { toK(x: number): number; fromK(k: number): number }> = {
  Kelvin: { toK: (x) => x, fromK: (k) => k },
  DegreeCelsius: { toK: (x) => x + 273.15, fromK: (k) => k - 273.15 },
  DegreeFahrenheit: { toK: (x) => ((x + 459.67) * 5) / 9, fromK: (k) => (k * 9) / 5 - 459.67 },
  DegreeRankine: { toK: (x) => (x * 5) / 9, fromK: (k) => (k * 9) / 5 },
  MillidegreeCelsius: { toK: (x) => x / 1000 + 273.15, fromK: (k) => (k - 273.15) * 1000 },
};

// ---------------------------------------------------------------------------------------------
// Beta distribution.

function logGamma(x: number): number {
  const c = [
    76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2,
    -0.5395239384953e-5,
  ];
  let y = x;
  const tmp = x + 5.5 - (x + 0.5) * Math.log(x + 5.5);
  let ser = 1.000000000190015;
  for (const ci of c) ser += ci / ++y;
  return -tmp + Math.log((2.5066282746310005 * ser) / x);
}

/** Continued fraction for the regularized incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

export function betaCdf(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || x < 0 || x > 1 || Number.isNaN(x)) return NaN;
  if (x === 0 || x === 1) return x;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(x, a, b)) / a
    : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaPdf(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || x < 0 || x > 1 || Number.isNaN(x)) return NaN;
  return Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log(1 - x) - (logGamma(a) + logGamma(b) - logGamma(a + b)));
}

function betaInv(p: number, a: number, b: number): number | null {
  if (p < 0 || p > 1 || Number.isNaN(p)) return null;
  if (!(a > 0) || !(b > 0)) return NaN;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (betaCdf(mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function three(fn: (x: number, a: number, b: number) => number | null): FunctionBody {
  return ([x, a, b]) => {
    const p = num(x);
    const q = num(a);
    const r = num(b);
    return p === null || q === null || r === null ? null : fn(p, q, r);
  };
}

defineFunctions({
  convert_length: converter(LENGTH),
  convert_mass: converter(MASS),
  convert_energy: converter(ENERGY),
  convert_force: converter(FORCE),
  convert_speed: converter(SPEED),
  convert_angle: converter(ANGLE),
  convert_volume: converter(VOLUME),
  convert_temperature: ([value, from, to], ctx) => {
    const v = num(value);
    const f = TEMPERATURE[str(from, argType(ctx, 1))];
    const t = TEMPERATURE[str(to, argType(ctx, 2))];
    if (v === null || !f || !t) return null;
    return t.fromK(f.toK(v));
  },
  beta_cdf: three(betaCdf),
  beta_pdf: three(betaPdf),
  beta_inv: three(betaInv),
});
