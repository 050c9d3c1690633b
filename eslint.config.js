// Lint rules: typescript-eslint's strict type-checked set, the stage import direction of STYLE.md, Playwright
// confined to src/fetch/browser*.ts, and process.env / process.exit only in src/cli/.
import js from '@eslint/js';
import nodePlugin from 'eslint-plugin-n';
import tseslint from 'typescript-eslint';

const PLAYWRIGHT = { group: ['playwright', 'playwright-core'], message: 'Playwright stays in src/fetch/browser*.ts.' };

/** Files of src/<name>/ (and one folder deeper) may import other stages only through their index.js. */
const stage = (name, allowed) => {
  const target = `(archiver-error\\.js${allowed.map(other => `|${other}/index\\.js`).join('')})$`;
  const message = `src/${name} may import only ${allowed.length ? allowed.join(', ') : 'no other stage'} (through its index.js): see STYLE.md §2.`;
  return [
    { files: [`src/${name}/*.ts`], prefix: '\\.\\./' },
    { files: [`src/${name}/*/*.ts`], prefix: '\\.\\./\\.\\./' },
  ].map(({ files, prefix }) => ({
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: `^${prefix}(?!${target})`, message }, PLAYWRIGHT] }],
    },
  }));
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'snapshots-repo/', 'versions-repo/', 'coverage/', 'test/fixtures/', '.demo/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  ...stage('declarations', []),
  ...stage('fetch', ['declarations']),
  ...stage('extract', ['declarations']),
  ...stage('record', ['declarations']),
  ...stage('track', ['declarations', 'fetch', 'extract', 'record']),
  ...stage('contribute', ['declarations', 'fetch', 'extract', 'record']),
  ...stage('publish', ['declarations', 'record']),
  {
    files: ['src/fetch/browser*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/demo/**', 'src/bench/**'],
    plugins: { n: nodePlugin },
    rules: { 'n/no-process-env': 'error', 'n/no-process-exit': 'error' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'Do not commit .only.' },
        { object: 'describe', property: 'only', message: 'Do not commit .only.' },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
