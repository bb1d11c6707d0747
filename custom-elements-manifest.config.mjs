// custom-elements.json from the JSDoc on the element classes (@summary @tag @csspart @cssproperty @fires @slot).
export default {
  globs: ['components/**/*.ts'],
  exclude: ['components/**/*.test.ts'],
  outdir: '.',
  litelement: true,
};
