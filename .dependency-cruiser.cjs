// The layer rule, checked by dependency-cruiser (`npm run check:deps`, run by
// .ci/run): imports point down only.
//
//   bin, web → src/boot → src/tasks → src/int80 → src/rtos → src/blockdev, src/cpu, src/net → src/uapi
//
// A folder may import itself and any folder below it (src/rtos/kernel and
// src/rtos/shell are src/rtos); src/blockdev, src/cpu and src/net stand side
// by side and import neither each other nor anything above; src/uapi imports nothing
// of ours. test/, bench/ and scripts/ may import anything and are not checked.
// Type-only imports count: a type from above is a dependency on above.

/** Top to bottom; the folders of one row do not import each other. */
const LAYERS = [
  ['bin', 'web'],
  ['src/boot'],
  ['src/tasks'],
  ['src/int80'],
  ['src/rtos'],
  ['src/blockdev', 'src/cpu', 'src/net'],
  ['src/uapi'],
];

/** Folders of src/ that hold no code of a layer: ambient declarations. */
const OUTSIDE_LAYERS = ['src/types'];

/** The compiled CLI bin/embox.cjs launches (unresolved, as ../dist/..., before a build). */
const LAUNCHED = '^(\\.\\./)?dist/bin/main\\.js$';

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const under = (folders) => `^(${folders.map(esc).join('|')})/`;
const ALL = LAYERS.flat();

const downward = LAYERS.flatMap((row, i) =>
  row.map((folder) => ({
    name: `${folder.replace(/^src\//, '')}-imports-down-only`,
    comment: `${folder} may import only itself and ${LAYERS.slice(i + 1).flat().join(', ') || 'nothing else of ours'}`,
    severity: 'error',
    from: { path: under([folder]) },
    // anything but Node's and npm's modules: our folders, dist/, a stray file
    to: {
      dependencyTypesNot: ['core'],
      pathNot: [under([folder, ...LAYERS.slice(i + 1).flat()]), '^node_modules/', ...(folder === 'bin' ? [LAUNCHED] : [])],
    },
  })),
);

module.exports = {
  forbidden: [
    ...downward,
    {
      name: 'in-a-layer',
      comment: `every folder of src/ is one of the layers (${ALL.join(', ')}), so the rule above covers it`,
      severity: 'error',
      from: { path: '^src/', pathNot: under([...ALL, ...OUTSIDE_LAYERS]) },
      to: {},
    },
    {
      name: 'no-cycle-between-folders',
      comment: 'a cycle of imports stays inside one layer folder',
      severity: 'error',
      from: { path: '^(bin|web|src/[^/]+)/' },
      to: { circular: true, via: { pathNot: '^$1/' } },
    },
    {
      name: 'node-apis-at-the-edges',
      comment: "Node's own modules only in bin, src/boot (system start, terminal), src/blockdev (the image file backend) and src/net/node.ts (the NAT's sockets): the rest runs anywhere JavaScript does",
      severity: 'error',
      from: { path: '^src/', pathNot: [under(['src/boot', 'src/blockdev']), '^src/net/node\\.ts$'] },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'web-page-runs-in-a-browser',
      comment: "the page's code (all of web/ but its build script and server) imports no Node module, nor the Node host's parts of src/boot and src/blockdev (esbuild, which bundles it for the browser, fails on any it reaches)",
      severity: 'error',
      from: { path: '^web/', pathNot: '^web/(build|server)\\.ts$' },
      to: { path: ['^src/boot/(system|terminal)\\.ts$', '^src/blockdev/(file|image|lock)\\.ts$'] },
    },
    {
      name: 'web-page-no-node-modules',
      comment: "the page's code runs in a browser: no Node module",
      severity: 'error',
      from: { path: '^web/', pathNot: '^web/(build|server)\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'resolvable',
      comment: 'an import the rules cannot follow is one they cannot check',
      severity: 'error',
      from: { path: '^(bin|web|src)/' },
      to: { couldNotResolve: true, pathNot: LAUNCHED },
    },
  ],
  options: {
    // the compiled output is the same code again: seen as a target, not followed
    doNotFollow: { path: ['^node_modules/', '^dist/'] },
    // type-only imports are dependencies too
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js'],
    },
  },
};
