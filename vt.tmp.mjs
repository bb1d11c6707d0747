import * as vl from 'vega-lite';
import * as vega from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
const labels = ['constructor','toString','hasOwnProperty','__proto__','valueOf', 'a'];
const spec = {
  params: [{ name: 'xTicks', value: labels }],
  data: { values: labels.map((xl) => ({ xl, yl: 'b', v: 1 })) },
  mark: 'rect',
  encoding: { x: { field: 'xl', type: 'ordinal', sort: null, scale: { domain: labels }, axis: { values: { expr: 'xTicks' } } },
    y: { field: 'yl', type: 'ordinal' }, color: { field: 'v', type: 'quantitative' } },
};
const v = vl.compile(spec).spec;
console.log(JSON.stringify(v.axes?.[0]?.values ?? v.axes));
const view = new vega.View(vega.parse(v, null, { ast: true }), { renderer: 'svg', expr: expressionInterpreter });
await view.runAsync(); const svg = await view.toSVG(); console.log('ok', labels.filter((l) => svg.includes('>' + l + '<')));
