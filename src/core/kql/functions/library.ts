// Loads every function module; each registers its functions in define.ts's table.
import './conversion';
import './logic';
import './strings';
import './extract';
import './datetime';
import './math';
import './dynamic';
import './ip';
import './web';
import './series';
import './units';
import './punycode';
import './useragent';
import './timeseries';
import './geo';
import './geoCells';
import './sketches';
