import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'scratch/', 'src/platform/db/migrations/'] },
  // The benchmark's NestJS peer is a package of its own: its dependencies (Nest, TypeORM) are not
  // the project's, so the type-aware rules could not resolve them; its own tsc checks it.
  { ignores: ['bench/peers/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'bin/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Fastify plugins are async by contract even when they register routes synchronously.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration in src/config.ts and pass it down.' },
      ],
    },
  },
  {
    // Module boundaries: another module only through its index.ts (test/architecture.test.ts
    // checks the same on resolved paths, and that no import cycle exists).
    files: ['src/modules/*/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(?!\\.\\.)[^/]+/(?!index\\.js$)',
              message: "Import another module through its index.ts ('../<module>/index.js').",
            },
            {
              regex: '^\\.\\./index\\.js$|^\\.\\./\\.\\./composition/',
              message: 'Modules are composed by the app; they do not import the composition.',
            },
          ],
        },
      ],
    },
  },
  {
    // Transport kits (http/, graphql/) sit below the modules and the module contract.
    files: ['src/http/*.ts', 'src/graphql/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(modules/|composition/|module\\.js$)',
              message: 'Transport kits import only platform code, other kits and packages.',
            },
          ],
        },
      ],
    },
  },
  // Platform is the shared ground floor: it imports no module, transport or composition
  // file. A relative import climbing out of src/platform is one `../` per folder level.
  ...[1, 2, 3].map((depth) => ({
    files: [`src/platform/${'*/'.repeat(depth - 1)}*.ts`],
    ignores: ['**/__tests__/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./){${depth}}`,
              message: 'Platform code imports only platform code and packages.',
            },
          ],
        },
      ],
    },
  })),
  {
    // Configuration and test set-up are where the environment is read.
    files: ['src/config.ts', 'test/**', 'bench/**', '**/__tests__/**', '*.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/__tests__/**', 'test/**'],
    // Tests read JSON bodies as `any` and assert on them.
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
