import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Me } from '@corsplane/contracts';
import { fakeApi, ok } from '../../../test/fake-api.js';
import { platformAdmin } from '../../../test/fixtures.js';
import { renderWithProviders } from '../../../test/render.js';
import { BaselinePage } from './baseline-page.js';

// Component tests of the platform baseline page (SPEC §2.2). The API is a fake fetch here.
const admin = platformAdmin;
const viewer: Me = { ...admin, platformRole: 'viewer' };
const baseline = {
  origins: [{ pattern: 'https://{tenant}.app.example', note: 'console' }],
  version: 3,
};

describe('BaselinePage', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('saves the edited list with If-Match, and shows a 422 beside the entry it names', async () => {
    const calls = fakeApi({
      'GET /v1/platform/policy': () => ok(baseline, { etag: '"3"' }),
      'PUT /v1/platform/policy': (c) => {
        const origins = (c.body as { origins: Array<{ pattern: string }> }).origins;
        if (origins.some((o) => o.pattern.includes('-eu')))
          return {
            status: 422,
            body: {
              statusCode: 422,
              error: 'Unprocessable Entity',
              message:
                'The baseline has 1 problem: origins[1].pattern: for tenant "a-very-long-slug" it is refused',
              details: [
                {
                  path: 'origins[1].pattern',
                  reason: 'invalid-for-tenant',
                  message: 'origins[1].pattern: for tenant "a-very-long-slug" it is refused',
                },
              ],
            },
          };
        return ok(
          { origins: origins.map((o) => ({ ...o, note: null })), version: 4 },
          { etag: '"4"' },
        );
      },
    });
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<BaselinePage me={admin} />);
    expect(await screen.findByLabelText('Baseline pattern 1', {}, { timeout: 15_000 })).toHaveValue(
      'https://{tenant}.app.example',
    );

    await user.click(screen.getByRole('button', { name: 'Add origin' }));
    await user.click(screen.getByLabelText('Baseline pattern 2'));
    await user.paste('https://{tenant}-eu.example.com');
    await user.click(screen.getByRole('button', { name: 'Save baseline' }));
    await waitFor(
      () =>
        expect(screen.getByLabelText('Baseline pattern 2')).toHaveAttribute('aria-invalid', 'true'),
      { timeout: 15_000 },
    );
    expect(screen.getByTestId('baseline-error')).toHaveTextContent('a-very-long-slug');
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.headers['if-match']).toBe('"3"');

    await user.click(screen.getByRole('button', { name: 'Remove baseline pattern 2' }));
    await user.click(screen.getByRole('button', { name: 'Save baseline' }));
    expect(
      await screen.findByText(/Saved as version 4/, {}, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'PUT').at(-1)?.body).toEqual({
      origins: [{ pattern: 'https://{tenant}.app.example', note: 'console' }],
    });
  });

  it('is read-only for a platform viewer', async () => {
    fakeApi({ 'GET /v1/platform/policy': () => ok(baseline, { etag: '"3"' }) });
    renderWithProviders(<BaselinePage me={viewer} />);
    expect(
      await screen.findByLabelText('Baseline pattern 1', {}, { timeout: 15_000 }),
    ).toHaveAttribute('readonly');
    expect(screen.queryByRole('button', { name: 'Save baseline' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add origin' })).toBeNull();
  });
});
