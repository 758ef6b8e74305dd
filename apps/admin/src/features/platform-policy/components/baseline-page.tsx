import { useEffect, useState } from 'react';
import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Group,
  List,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import type { Me } from '@corsplane/contracts';
import { PageHeader } from '../../../components/ui/page-header.js';
import { ErrorState, LoadingState } from '../../../components/ui/states.js';
import { ApiError, errorMessage } from '../../../lib/api-client.js';
import { useBaseline } from '../api/get-baseline.js';
import { useUpdateBaseline } from '../api/update-baseline.js';

interface Row {
  key: string;
  pattern: string;
  note: string;
}

let nextKey = 0;
const row = (pattern = '', note = ''): Row => ({ key: `b${nextKey++}`, pattern, note });

/**
 * The platform baseline (SPEC §2.2): origins every tenant includes; `{tenant}` in a host stands for each
 * tenant's slug. Platform admins edit it; platform viewers read it. The API checks every pattern for every
 * existing tenant and answers a 422 naming the entry and the slug, shown beside the list.
 */
export function BaselinePage({ me }: { me: Me }) {
  const query = useBaseline();
  const update = useUpdateBaseline();
  const readOnly = me.platformRole !== 'admin';
  const [rows, setRows] = useState<Row[] | null>(null);

  useEffect(() => {
    if (query.data && rows === null)
      setRows(query.data.baseline.origins.map((o) => row(o.pattern, o.note ?? '')));
  }, [query.data, rows]);

  if (query.isPending) return <LoadingState label="Loading the baseline…" />;
  if (query.error) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const current = rows ?? [];
  const set = (key: string, patch: Partial<Row>) =>
    setRows(current.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const save = () =>
    update.mutate(
      {
        origins: current
          .filter((r) => r.pattern.trim() !== '')
          .map((r) => ({ pattern: r.pattern.trim(), note: r.note.trim() || null })),
        ifMatch: query.data.etag,
      },
      {
        onSuccess: (saved) =>
          setRows(saved.baseline.origins.map((o) => row(o.pattern, o.note ?? ''))),
      },
    );
  const problems = update.error instanceof ApiError ? update.error.details : [];

  return (
    <>
      <PageHeader
        title="Platform baseline"
        description={
          <>
            Origins every tenant allows, besides its own. <code>{'{tenant}'}</code> in a host is
            replaced by each tenant&apos;s slug (<code>{'https://{tenant}.app.example'}</code>).
            Version {query.data.baseline.version}.
          </>
        }
        actions={
          !readOnly && (
            <Button onClick={save} loading={update.isPending}>
              Save baseline
            </Button>
          )
        }
      />
      {update.error && (
        <Alert color="red" mb="md" title="Not saved" data-testid="baseline-error">
          <Text size="sm">{errorMessage(update.error)}</Text>
          {problems.length > 1 && (
            <List size="sm" mt="xs">
              {problems.map((p) => (
                <List.Item key={`${p.path}|${p.message}`}>{p.message}</List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
      {update.isSuccess && !update.isPending && (
        <Alert color="green" mb="md">
          Saved as version {update.data.baseline.version}: every tenant follows it now.
        </Alert>
      )}
      <Card withBorder>
        <Table verticalSpacing="xs" aria-label="Baseline origins">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="50%">Pattern</Table.Th>
              <Table.Th>Note</Table.Th>
              {!readOnly && (
                <Table.Th w={40}>
                  <span className="visually-hidden">Remove</span>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {current.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={3}>
                  <Text size="sm" c="dimmed" py="sm">
                    No baseline: tenants allow only their own origins.
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {current.map((r, i) => {
              const issue = problems.find((p) => p.path === `origins[${i}].pattern`);
              return (
                <Table.Tr key={r.key}>
                  <Table.Td valign="top">
                    <TextInput
                      aria-label={`Baseline pattern ${i + 1}`}
                      value={r.pattern}
                      readOnly={readOnly}
                      error={issue?.message}
                      onChange={(e) => set(r.key, { pattern: e.currentTarget.value })}
                    />
                  </Table.Td>
                  <Table.Td valign="top">
                    <TextInput
                      aria-label={`Baseline note ${i + 1}`}
                      value={r.note}
                      readOnly={readOnly}
                      onChange={(e) => set(r.key, { note: e.currentTarget.value })}
                    />
                  </Table.Td>
                  {!readOnly && (
                    <Table.Td valign="top">
                      <Tooltip label="Remove">
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Remove baseline pattern ${i + 1}`}
                          onClick={() => setRows(current.filter((x) => x.key !== r.key))}
                        >
                          ×
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        {!readOnly && (
          <Group mt="sm">
            <Button variant="light" onClick={() => setRows([...current, row()])}>
              Add origin
            </Button>
          </Group>
        )}
      </Card>
    </>
  );
}
