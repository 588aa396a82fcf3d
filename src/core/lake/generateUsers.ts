// The demo tenant's people, places and devices. Identities depend only on the user count, never on the
// seed, so a UPN, object id or device name means the same thing in every generated lake.
import { DEMO_OBJECT_IDS, DEMO_USERS } from './demoFacts';
import { hashString, stableGuid } from './generateRandom';

export interface Place {
  country: string;
  countryName: string;
  city: string;
  state: string;
  lat: number;
  lon: number;
  /** Hours from UTC (standard time is good enough for synthetic working hours). */
  tz: number;
  officeIp: string;
  asn: number;
}

export interface DemoUser {
  upn: string;
  /** Entra object id; empty for on-premises-only accounts. */
  objectId: string;
  alias: string;
  displayName: string;
  department: string;
  jobTitle: string;
  place: Place;
  homeIp: string;
  device: string;
  deviceId: string;
  roles: string[];
  tags: string[];
  onPremOnly: boolean;
  sid: string;
}

const us = (city: string, state: string, lat: number, lon: number, tz: number): Place => ({
  country: 'US',
  countryName: 'United States',
  city,
  state,
  lat,
  lon,
  tz,
  officeIp: '203.0.113.10',
  asn: 7018,
});

export const PLACES: Record<string, Place> = {
  pittsburgh: us('Pittsburgh', 'Pennsylvania', 40.4406, -79.9959, -5),
  sanDiego: us('San Diego', 'California', 32.7157, -117.1611, -8),
  tulsa: us('Tulsa', 'Oklahoma', 36.154, -95.9928, -6),
  seattle: us('Seattle', 'Washington', 47.6062, -122.3321, -8),
  redmond: us('Redmond', 'Washington', 47.674, -122.1215, -8),
  saltLake: us('Salt Lake City', 'Utah', 40.7608, -111.891, -7),
  chicago: us('Chicago', 'Illinois', 41.8781, -87.6298, -6),
  newYork: us('New York', 'New York', 40.7128, -74.006, -5),
  austin: us('Austin', 'Texas', 30.2672, -97.7431, -6),
  munich: {
    country: 'DE',
    countryName: 'Germany',
    city: 'Munich',
    state: 'Bavaria',
    lat: 48.1351,
    lon: 11.582,
    tz: 1,
    officeIp: '203.0.113.20',
    asn: 3320,
  },
  london: {
    country: 'GB',
    countryName: 'United Kingdom',
    city: 'London',
    state: 'England',
    lat: 51.5074,
    lon: -0.1278,
    tz: 0,
    officeIp: '203.0.113.30',
    asn: 2856,
  },
  hyderabad: {
    country: 'IN',
    countryName: 'India',
    city: 'Hyderabad',
    state: 'Telangana',
    lat: 17.385,
    lon: 78.4867,
    tz: 5.5,
    officeIp: '203.0.113.40',
    asn: 9829,
  },
};

/** Places outside the tenant's offices that the stories use. */
export const FOREIGN_PLACES: Record<string, Place> = {
  moscow: {
    country: 'RU',
    countryName: 'Russia',
    city: 'Moscow',
    state: 'Moscow',
    lat: 55.7558,
    lon: 37.6173,
    tz: 3,
    officeIp: '',
    asn: 49505,
  },
  saintPetersburg: {
    country: 'RU',
    countryName: 'Russia',
    city: 'Saint Petersburg',
    state: 'Saint Petersburg',
    lat: 59.9311,
    lon: 30.3609,
    tz: 3,
    officeIp: '',
    asn: 49505,
  },
  amsterdam: {
    country: 'NL',
    countryName: 'Netherlands',
    city: 'Amsterdam',
    state: 'North Holland',
    lat: 52.3676,
    lon: 4.9041,
    tz: 1,
    officeIp: '',
    asn: 9009,
  },
  hanoi: {
    country: 'VN',
    countryName: 'Vietnam',
    city: 'Hanoi',
    state: 'Hanoi',
    lat: 21.0278,
    lon: 105.8342,
    tz: 7,
    officeIp: '',
    asn: 131414,
  },
  toronto: {
    country: 'CA',
    countryName: 'Canada',
    city: 'Toronto',
    state: 'Ontario',
    lat: 43.6532,
    lon: -79.3832,
    tz: -5,
    officeIp: '',
    asn: 577,
  },
};

interface Persona {
  first: string;
  last: string;
  department: string;
  jobTitle: string;
  place: keyof typeof PLACES;
  roles?: string[];
  tags?: string[];
}

/** The named people of the demo tenant (the stories refer to them). */
const PERSONAS: Persona[] = [
  { first: 'Megan', last: 'Bowen', department: 'Marketing', jobTitle: 'Marketing Manager', place: 'pittsburgh' },
  { first: 'Alex', last: 'Wilber', department: 'Marketing', jobTitle: 'Marketing Assistant', place: 'sanDiego' },
  { first: 'Lynne', last: 'Robbins', department: 'Retail', jobTitle: 'Retail Manager', place: 'tulsa' },
  { first: 'Adele', last: 'Vance', department: 'Retail', jobTitle: 'Retail Manager', place: 'saltLake' },
  {
    first: 'Allan',
    last: 'Deyoung',
    department: 'IT',
    jobTitle: 'IT Admin',
    place: 'redmond',
    roles: ['Global Administrator'],
    tags: ['Privileged'],
  },
  { first: 'Diego', last: 'Siciliani', department: 'HR', jobTitle: 'HR Manager', place: 'chicago' },
  { first: 'Grady', last: 'Archie', department: 'R&D', jobTitle: 'Designer', place: 'seattle' },
  { first: 'Henrietta', last: 'Mueller', department: 'R&D', jobTitle: 'Developer', place: 'munich' },
  { first: 'Isaiah', last: 'Langer', department: 'Sales', jobTitle: 'Sales Representative', place: 'newYork' },
  {
    first: 'Johanna',
    last: 'Lorenz',
    department: 'Security Operations',
    jobTitle: 'Security Analyst',
    place: 'redmond',
    roles: ['Security Operator'],
  },
  { first: 'Joni', last: 'Sherman', department: 'Legal', jobTitle: 'Paralegal', place: 'austin' },
  { first: 'Lee', last: 'Gu', department: 'Manufacturing', jobTitle: 'Director', place: 'london' },
  { first: 'Lidia', last: 'Holloway', department: 'Engineering', jobTitle: 'Product Manager', place: 'redmond' },
  {
    first: 'Miriam',
    last: 'Graham',
    department: 'Sales & Marketing',
    jobTitle: 'Director',
    place: 'newYork',
    tags: ['VIP'],
  },
  { first: 'Nestor', last: 'Wilke', department: 'Operations', jobTitle: 'Director', place: 'pittsburgh' },
  {
    first: 'Patti',
    last: 'Fernandez',
    department: 'Executive Management',
    jobTitle: 'President',
    place: 'redmond',
    tags: ['VIP'],
  },
  {
    first: 'Pradeep',
    last: 'Gupta',
    department: 'Security Operations',
    jobTitle: 'Security Analyst',
    place: 'hyderabad',
    roles: ['Security Reader'],
  },
];

export const MIN_DEMO_USERS = PERSONAS.length + 3;

const FIRST = [
  'Aiden',
  'Bianca',
  'Carlos',
  'Dana',
  'Elif',
  'Farah',
  'Gustavo',
  'Hana',
  'Ivan',
  'Jonas',
  'Keiko',
  'Liam',
  'Maya',
  'Noah',
  'Olga',
  'Priya',
  'Quinn',
  'Rosa',
  'Samir',
  'Tara',
  'Umar',
  'Vera',
  'Wen',
  'Ximena',
  'Yusuf',
  'Zoe',
  'Amara',
  'Bruno',
  'Chloe',
  'Dmitri',
  'Esther',
  'Felix',
  'Grace',
  'Hugo',
  'Ines',
  'Jamal',
  'Kira',
  'Lucas',
];
const LAST = [
  'Adams',
  'Brooks',
  'Chen',
  'Dubois',
  'Evans',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Larsen',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Patel',
  'Quintero',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Ueda',
  'Varga',
  'Weber',
  'Xu',
  'Yilmaz',
  'Zhang',
  'Alvarez',
  'Becker',
  'Costa',
  'Dimitrov',
];
const DEPARTMENTS: [string, string[]][] = [
  ['Sales', ['Sales Representative', 'Account Executive', 'Sales Manager']],
  ['Marketing', ['Marketing Specialist', 'Content Writer', 'Marketing Analyst']],
  ['Engineering', ['Software Engineer', 'Senior Engineer', 'QA Engineer', 'Engineering Manager']],
  ['Finance', ['Accountant', 'Financial Analyst', 'Controller']],
  ['Operations', ['Operations Analyst', 'Logistics Coordinator']],
  ['Retail', ['Store Manager', 'Retail Associate']],
  ['HR', ['HR Generalist', 'Recruiter']],
  ['Customer Support', ['Support Engineer', 'Support Lead']],
];
const US_PLACES: (keyof typeof PLACES)[] = [
  'pittsburgh',
  'sanDiego',
  'tulsa',
  'seattle',
  'redmond',
  'saltLake',
  'chicago',
  'newYork',
  'austin',
];
const ABROAD: (keyof typeof PLACES)[] = ['munich', 'london', 'hyderabad'];

function makeUser(
  first: string,
  last: string,
  alias: string,
  p: Omit<Persona, 'first' | 'last'>,
  onPremOnly = false,
): DemoUser {
  const upn = `${alias}@contoso.com`;
  const fixed = (DEMO_OBJECT_IDS as Record<string, string>)[upn];
  const h = hashString(upn);
  return {
    upn,
    objectId: onPremOnly ? '' : (fixed ?? stableGuid(`user:${upn}`)),
    alias,
    displayName: `${first} ${last}`,
    department: p.department,
    jobTitle: p.jobTitle,
    place: PLACES[p.place],
    homeIp: `198.51.100.${1 + (h % 250)}`,
    device: `${alias.replace(/\./g, '-')}-lt.contoso.com`,
    deviceId: stableGuid(`device:${upn}`).replace(/-/g, '') + (h >>> 0).toString(16).padStart(8, '0'),
    roles: p.roles ?? [],
    tags: p.tags ?? [],
    onPremOnly,
    sid: `S-1-5-21-1004336348-1177238915-682003330-${1100 + (h % 8000)}`,
  };
}

/** `count` cloud users (the named personas first) plus one on-premises-only account at the end. */
export function buildUsers(count: number): DemoUser[] {
  const users: DemoUser[] = PERSONAS.map((p) => makeUser(p.first, p.last, `${p.first}.${p.last}`.toLowerCase(), p));
  const seen = new Set(users.map((u) => u.alias));
  for (let i = 0; users.length < count; i++) {
    // Every (first, last) pair once per round: the last name shifts with the first so neighbours differ.
    const q = Math.floor(i / FIRST.length);
    const first = FIRST[i % FIRST.length];
    const last = LAST[((i % FIRST.length) + q) % LAST.length];
    const round = Math.floor(i / (FIRST.length * LAST.length));
    let alias = `${first}.${last}${round ? round + 1 : ''}`.toLowerCase();
    while (seen.has(alias)) alias += 'x';
    seen.add(alias);
    const h = hashString(alias, 7);
    const [department, titles] = DEPARTMENTS[h % DEPARTMENTS.length];
    const place = h % 10 < 8 ? US_PLACES[(h >>> 4) % US_PLACES.length] : ABROAD[(h >>> 4) % ABROAD.length];
    users.push(makeUser(first, last, alias, { department, jobTitle: titles[(h >>> 8) % titles.length], place }));
  }
  const [first, last] = ['Ben', 'Walters'];
  users.push(
    makeUser(
      first,
      last,
      DEMO_USERS.onPremOnly.split('@')[0],
      { department: 'Facilities', jobTitle: 'Facilities Coordinator', place: 'pittsburgh' },
      true,
    ),
  );
  return users;
}
