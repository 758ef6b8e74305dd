import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { screen, within } from '@testing-library/react';
import type { Policy } from '@corsplane/contracts';
import { emptyPolicy } from '@corsplane/policy';
import { fakeApi, ok } from '../../../test/fake-api.js';
import { platformAdmin } from '../../../test/fixtures.js';
import { renderWithProviders } from '../../../test/render.js';
import '../test/virtual-layout.js';
import { PolicyEditorPage } from './policy-editor-page.js';

// The platform baseline's rows in a tenant's policy editor (SPEC §2.2). The API is a fake fetch here.
const admin = platformAdmin;

describe('the tenant’s policy editor', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('shows the baseline entries expanded for the tenant, read-only, apart from its own', async () => {
    const policy: Policy = {
      ...emptyPolicy(),
      origins: [{ pattern: 'https://app.acme.com', note: 'prod', expiresAt: null }],
      version: 2,
    };
    fakeApi({
      'GET /v1/auth/me': () => ok(admin),
      'GET /v1/tenants/acme/policy': () => ok(policy, { etag: '"2"' }),
      'GET /v1/tenants/acme/policy/origins': () =>
        ok({ items: policy.origins, version: 2, nextCursor: null }),
      'GET /v1/tenants/acme/policy/baseline': () =>
        ok({
          version: 3,
          origins: [
            {
              pattern: 'https://acme.app.example',
              note: 'console',
              template: 'https://{tenant}.app.example',
            },
          ],
        }),
    });
    renderWithProviders(
      <PolicyEditorPage slug="acme" allowOrigin={null} onAllowConsumed={() => undefined} />,
    );
    const rows = await screen.findByTestId('baseline-origins', {}, { timeout: 15_000 });
    expect(rows).toHaveTextContent('https://acme.app.example');
    expect(rows).toHaveTextContent('from https://{tenant}.app.example');
    expect(rows).toHaveTextContent('read-only');
    // Not among the tenant's own rows (read from the paged origins API).
    const own = await within(screen.getByTestId('origins-table')).findAllByTestId('origin-entry');
    expect(own.map((r) => r.textContent)).toEqual([
      expect.stringContaining('https://app.acme.com'),
    ]);
    expect(rows.querySelector('input')).toBeNull();
  });
});
