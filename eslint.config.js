// Flat config: typescript-eslint for every project, Nx module boundaries from package.json tags.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/coverage/**', '**/node_modules/**', '**/.nx/**', '**/generated/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Dependencies point one way: apps -> contracts -> policy; sdk -> contracts, policy.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // The shared test harness (a plain file, no workspace): tests of every project start the API with it.
          allow: ['/tools/api-harness\\.mjs$'],
          depConstraints: [
            { sourceTag: 'type:engine', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:engine'] },
            { sourceTag: 'type:sdk', onlyDependOnLibsWithTags: ['type:engine', 'type:contracts'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:engine', 'type:contracts'] },
          ],
        },
      ],
    },
  },
  {
    // Console features stay apart (bulletproof-react): another feature, and the routes, import a feature only
    // through its public index.ts. Within a feature, files import each other by `./` and `../` paths, which
    // these patterns (two levels up, then into a feature's folders) never match.
    files: ['apps/admin/src/features/**/*.{ts,tsx}', 'apps/admin/src/app/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./\\.\\./(features/)?[a-z-]+/(api|components|lib)/',
              message:
                "Import another feature through its public index.ts ('../../<feature>/index.js'), not its internals.",
            },
          ],
        },
      ],
    },
  },
  prettier,
);
