// Lint rules: typescript-eslint's strict type-checked set, the stage import direction of STYLE.md (cli, bench and
// demo included), Playwright confined to src/fetch/browser*.ts, git (simple-git, child processes, .git/ paths)
// confined to src/record/git/, and process.env / process.exit only in src/cli/.
import js from '@eslint/js';
import nodePlugin from 'eslint-plugin-n';
import tseslint from 'typescript-eslint';

const PLAYWRIGHT = { group: ['playwright', 'playwright-core'], message: 'Playwright stays in src/fetch/browser*.ts.' };
const GIT = { group: ['simple-git'], message: 'git stays in src/record/git/: ask the repository objects of src/record/index.js.' };
const CHILD_PROCESS = { group: ['node:child_process', 'child_process'], message: 'Processes are started in src/record/git/ (git) only: ask the repository objects of src/record/index.js.' };
/** Files at the root of src/ that any stage may import. */
const SHARED = ['archiver-error', 'plural', 'whole-number'];

/** Import rules for the files of src/<name>/ (any depth): other stages only through their index.js. */
const stage = (name, allowed, extraPatterns = [PLAYWRIGHT, GIT, CHILD_PROCESS], only = undefined) => {
  const target = `(${SHARED.map(file => `${file}\\.js`).join('|')}${allowed.map(other => `|${other}/index\\.js`).join('')})$`;
  const message = `src/${name} may import only ${allowed.length ? allowed.join(', ') : 'no other stage'} (through its index.js): see STYLE.md §2.`;
  return [
    { files: [`src/${name}/*.ts`], prefix: '\\.\\./' },
    { files: [`src/${name}/*/*.ts`], prefix: '\\.\\./\\.\\./' },
    { files: [`src/${name}/*/*/*.ts`], prefix: '\\.\\./\\.\\./\\.\\./' },
  ].map(({ files, prefix }) => ({
    files: only ?? files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: `^${prefix}(?!${target})`, message }, ...extraPatterns] }],
    },
  }));
};

const STAGES = ['declarations', 'fetch', 'extract', 'record', 'track', 'contribute', 'publish'];

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
  // the command line uses every stage, through its index.js, and nothing imports bench/ or demo/
  ...stage('cli', STAGES),
  // the tools on top: demo runs the CLI; bench measures processes of its own (the tracker, the kit's server), so it may
  // start processes, but reaches git through the repositories like everyone else
  ...stage('demo', [...STAGES, 'cli']),
  ...stage('bench', [...STAGES, 'cli'], [PLAYWRIGHT, GIT]),
  stage('fetch', ['declarations'], [GIT, CHILD_PROCESS], ['src/fetch/browser*.ts'])[0],
  {
    files: ['src/record/git/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./\\.\\./(?!(archiver-error|declarations/index)\\.js$)', message: 'src/record/git imports only within src/record (and archiver-error.js, declarations/index.js).' }, PLAYWRIGHT] }] },
  },
  {
    // a path inside a repository's .git folder is the record stage's business: side files come from SideFiles
    files: ['src/**/*.ts'],
    ignores: ['src/record/git/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "Literal[value=/(^|[\\/])\\.git([\\/]|$)/]", message: 'Paths inside .git/ belong to src/record/git/: use a repository\'s sideFiles.' },
        { selector: "TemplateElement[value.raw=/(^|[\\/])\\.git([\\/]|$)/]", message: 'Paths inside .git/ belong to src/record/git/: use a repository\'s sideFiles.' },
      ],
    },
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
