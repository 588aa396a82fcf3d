// make-series: aggregates per group and time bin into arrays.
import { colGet, gather } from '../../columnar/columns';
import { aggregate, groupIds } from '../aggregate';
import { binOrigin, Field, fieldCol, Rel, runtimeError, wireValue } from '../eval';
import { Expr, Plan } from '../ir';
import { toCol, vget } from '../vec';
import { LIMITS } from '../limits';
import { JoinRunner } from './join';
import { select, take } from './runner';

export abstract class SeriesRunner extends JoinRunner {
  protected makeSeries(p: Extract<Plan, { k: 'makeSeries' }>): Rel {
    const rel = this.run(p.input);
    const ev = this.ev(rel);
    const constEv = this.ev({ n: 1, fields: [] });
    const num = (e: Expr | null): number | null => {
      if (!e) return null;
      const v = vget(constEv.ev(e), 0);
      return typeof v === 'number' ? v : null;
    };
    const step = num(p.step);
    if (!step || step <= 0) throw runtimeError(this, 'make-series needs a positive step', p.pos ?? 0);
    const t = toCol(ev.ev(p.on), rel.n, 'datetime') as { k: 'n'; data: Float64Array };
    let start = num(p.from),
      end = num(p.to);
    if (start === null || end === null) {
      let lo = Infinity,
        hi = -Infinity;
      for (const v of t.data) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (start === null) {
        const o = binOrigin(step);
        start = lo === Infinity ? 0 : Math.floor((lo - o) / step) * step + o;
      }
      if (end === null) end = hi === -Infinity ? start : hi + step;
    }
    const nb = Math.max(0, Math.ceil((end - start) / step));
    if (nb > LIMITS.seriesBins)
      throw runtimeError(
        this,
        `make-series would make ${nb.toLocaleString('en-US')} bins per series (the local engine's limit is ${LIMITS.seriesBins.toLocaleString('en-US')}); use a larger step or a shorter range`,
        p.pos ?? 0,
      );
    const keys = p.by.map((b) => ev.evCol(b.expr));
    const { ids, groups, firstRow } = groupIds(keys, rel.n);
    const cells = groups * nb * (p.aggs.length + 1);
    if (cells > LIMITS.seriesCells)
      throw runtimeError(
        this,
        `make-series would make ${groups.toLocaleString('en-US')} series × ${nb.toLocaleString('en-US')} bins (${cells.toLocaleString('en-US')} cells with the time axis; the local engine's limit is ${LIMITS.seriesCells.toLocaleString('en-US')}); use a larger step, a shorter range or fewer groups`,
        p.pos ?? 0,
      );
    // cell id = group * nb + bin; rows outside the range take no part
    const cell = new Int32Array(rel.n);
    const inRange = new Uint8Array(rel.n);
    for (let i = 0; i < rel.n; i++) {
      const v = t.data[i];
      if (v !== v || v < start || v >= end) continue;
      inRange[i] = 1;
      cell[i] = ids[i] * nb + Math.floor((v - start) / step);
    }
    const sub = select(
      {
        n: rel.n,
        fields: [{ name: '__cell', type: 'long', col: { k: 'n', data: Float64Array.from(cell) }, sel: null }],
      },
      inRange,
    );
    const cellIds = (fieldCol(sub.fields[0]) as { data: Float64Array }).data;
    const { ids: cid, groups: cg, firstRow: cfirst } = groupIds([{ k: 'n', data: cellIds }], sub.n);
    const fields: Field[] = p.by.map((b, i) => ({
      name: b.name,
      type: b.expr.type,
      col: gather(keys[i], firstRow),
      sel: null,
    }));
    const selIdx = (() => {
      const out: number[] = [];
      for (let i = 0; i < rel.n; i++) if (inRange[i]) out.push(i);
      return Int32Array.from(out);
    })();
    const subRel = take(rel, selIdx);
    const sev = this.ev(subRel);
    for (const a of p.aggs) {
      const args = a.call.args.map((x) => sev.ev(x));
      const [col] = aggregate(
        {
          fn: a.call.fn,
          args,
          argTypes: a.call.args.map((x) => x.type),
          outTypes: a.call.outs.map((o) => o.type),
          extra: [],
        },
        cid,
        cg,
        subRel.n,
      );
      const dflt = a.dflt ? vget(constEv.ev(a.dflt), 0) : 0;
      const series: unknown[][] = Array.from({ length: groups }, () => new Array(nb).fill(dflt));
      for (let c = 0; c < cg; c++) {
        const id = cellIds[cfirst[c]];
        const g = Math.floor(id / nb),
          b = id % nb;
        series[g][b] = wireValue(colGet(col, c), a.call.outs[0].type);
      }
      fields.push({ name: a.call.outs[0].name, type: 'dynamic', col: { k: 'a', data: series }, sel: null });
    }
    const axis: string[] = [];
    for (let b = 0; b < nb; b++) axis.push(wireValue(start + b * step, 'datetime') as string);
    fields.push({
      name: p.axis,
      type: 'dynamic',
      col: { k: 'a', data: Array.from({ length: groups }, () => axis.slice()) },
      sel: null,
    });
    return { n: groups, fields };
  }
}
