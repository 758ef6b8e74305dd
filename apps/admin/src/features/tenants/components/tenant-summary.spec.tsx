import { describe, expect, it } from '@jest/globals';
import { Table } from '@mantine/core';
import { screen } from '@testing-library/react';
import type { Tenant } from '@corsplane/contracts';
import { renderWithProviders } from '../../../test/render.js';
import { TenantSummaryCells } from './tenant-summary.js';

const tenant: Tenant = {
  id: 't1',
  slug: 'acme',
  name: 'Acme',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  originCount: 3,
  mode: 'report-only',
  policyVersion: 7,
  lastChangedAt: '2026-01-02T00:00:00.000Z',
  lastChangedBy: 'ops@acme.test',
};

const renderRow = (t: Tenant) =>
  renderWithProviders(
    <Table>
      <Table.Tbody>
        <Table.Tr>
          <TenantSummaryCells tenant={t} />
        </Table.Tr>
      </Table.Tbody>
    </Table>,
  );

describe('TenantSummaryCells', () => {
  it('shows the summary the tenant list carries, with no request of its own', () => {
    renderRow(tenant);
    expect(screen.getByTestId('origin-count')).toHaveTextContent('3');
    expect(screen.getByText('report-only')).toBeInTheDocument();
    expect(screen.getByText('by ops@acme.test (v7)')).toBeInTheDocument();
    expect(screen.getByRole('time')).toHaveAttribute('datetime', '2026-01-02T00:00:00.000Z');
  });

  it('leaves out the actor when the version row names none', () => {
    renderRow({ ...tenant, lastChangedBy: null });
    expect(screen.getByText('(v7)')).toBeInTheDocument();
  });
});
