import { useMemo, useState, type ComponentProps } from 'react';
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { PolicyVersion, PolicyVersionSummary } from '@corsplane/contracts';
import { ApiError, errorMessage } from '../../../lib/api-client.js';
import { ListTable, RowAction } from '../../../components/ui/list-table.js';
import { EmptyState, ErrorState, LoadingState } from '../../../components/ui/states.js';
import { Time } from '../../../components/ui/time.js';
import { useMe } from '../../auth/index.js';
import { canEditTenant } from '../../auth/index.js';
import { PolicyChanges } from '../../policy/index.js';
import { diffPolicies } from '../../policy/index.js';
import { withoutVersion } from '../../policy/index.js';
import { useVersion } from '../api/get-version.js';
import { useVersions } from '../api/get-versions.js';
import { useRestoreVersion } from '../api/restore-version.js';

function sourceLabel(v: PolicyVersionSummary): string {
  if (v.source === 'restore') return `restored v${v.restoredFromVersion ?? '?'}`;
  return v.source === 'create' ? 'created' : 'edited';
}

/** What changes from `from` to `to`, once both documents are here. */
const diffOf = (from: PolicyVersion | undefined, to: PolicyVersion | undefined) =>
  from && to ? diffPolicies(withoutVersion(from.policy), withoutVersion(to.policy)) : [];

function VersionsDiff({
  loading,
  error,
  ...changes
}: { loading: boolean; error: Error | null } & ComponentProps<typeof PolicyChanges>) {
  if (error) return <ErrorState error={error} />;
  if (loading) return <LoadingState label="Loading the two versions…" />;
  return <PolicyChanges {...changes} />;
}

export function VersionsPanel({ slug }: { slug: string }) {
  const versions = useVersions(slug);
  const me = useMe();
  const editable = canEditTenant(me.data, slug);
  const restore = useRestoreVersion();
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [restoring, setRestoring] = useState<PolicyVersionSummary | null>(null);

  const items = useMemo(() => versions.data?.items ?? [], [versions.data]);
  const current = items[0];
  const fromV = items.find((v) => String(v.version) === from) ?? items[1] ?? items[0];
  const toV = items.find((v) => String(v.version) === to) ?? items[0];
  // The list carries no documents (a 100,000-origin tenant's page would be huge): a diff fetches its two.
  const fromDoc = useVersion(slug, fromV?.version);
  const toDoc = useVersion(slug, toV?.version);
  const changes = useMemo(() => diffOf(fromDoc.data, toDoc.data), [fromDoc.data, toDoc.data]);
  const currentDoc = useVersion(slug, restoring ? current?.version : undefined);
  const restoringDoc = useVersion(slug, restoring?.version);
  const restoreDiff = useMemo(
    () => diffOf(currentDoc.data, restoringDoc.data),
    [currentDoc.data, restoringDoc.data],
  );
  const options = items.map((v) => ({
    value: String(v.version),
    label: `v${v.version} · ${v.actor} · ${new Date(v.createdAt).toLocaleString()}`,
  }));

  if (versions.isPending) return <LoadingState label="Loading versions…" />;
  if (versions.error)
    return <ErrorState error={versions.error} onRetry={() => void versions.refetch()} />;
  if (!current) return <EmptyState title="No versions yet" />;

  const confirmRestore = () => {
    if (!restoring) return;
    restore.mutate(
      { slug, version: restoring.version, ifMatch: `"${current.version}"` },
      {
        onSuccess: (saved) => {
          notifications.show({
            color: 'green',
            title: 'Version restored',
            message: `Version ${restoring.version} is live again as version ${saved.policy.version}.`,
          });
          setRestoring(null);
          setFrom(null);
          setTo(null);
        },
      },
    );
  };

  return (
    <Stack>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Compare two versions
        </Title>
        <SimpleGrid cols={{ base: 1, md: 2 }} mb="md">
          <Select
            label="From"
            data={options}
            value={fromV ? String(fromV.version) : null}
            onChange={setFrom}
            allowDeselect={false}
          />
          <Select
            label="To"
            data={options}
            value={toV ? String(toV.version) : null}
            onChange={setTo}
            allowDeselect={false}
          />
        </SimpleGrid>
        <VersionsDiff
          loading={fromDoc.isPending || toDoc.isPending}
          error={fromDoc.error ?? toDoc.error}
          changes={changes}
          testId="versions-diff"
          empty="These two versions are identical."
        />
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          History
        </Title>
        <ListTable
          label="Policy versions"
          columns={[
            'Version',
            'Change',
            'Author',
            'When',
            'Origins',
            { label: 'Actions', hidden: true },
          ]}
          highlightOnHover
        >
          {items.map((v) => (
            <Table.Tr key={v.version} data-testid={`version-row-${v.version}`}>
              <Table.Td>
                <Group gap="xs">
                  <Text fw={600}>v{v.version}</Text>
                  {v === current && (
                    <Badge size="sm" color="green" variant="light">
                      current
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>{sourceLabel(v)}</Table.Td>
              <Table.Td>{v.actor}</Table.Td>
              <Table.Td>
                <Time iso={v.createdAt} />
              </Table.Td>
              <Table.Td>{v.originCount}</Table.Td>
              <Table.Td ta="right">
                {editable && v !== current && (
                  <RowAction
                    label={`Restore version ${v.version}`}
                    onClick={() => setRestoring(v)}
                    variant="light"
                  >
                    Restore
                  </RowAction>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      </Card>
      <Modal
        opened={restoring !== null}
        onClose={() => (setRestoring(null), restore.reset())}
        title={`Restore version ${restoring?.version ?? ''}?`}
        size="lg"
      >
        <Stack>
          <Text size="sm">
            This saves version {restoring?.version}&apos;s policy as a new version (
            {current.version + 1}). The history keeps every version. What changes against the
            current version {current.version}:
          </Text>
          <VersionsDiff
            loading={currentDoc.isPending || restoringDoc.isPending}
            error={currentDoc.error ?? restoringDoc.error}
            changes={restoreDiff}
            testId="restore-diff"
            empty="Identical to the current version."
          />
          {restore.error && (
            <Alert color="red" role="alert">
              {restore.error instanceof ApiError && restore.error.status === 412
                ? 'The policy changed while you were looking: the list is refreshed, check it and try again.'
                : errorMessage(restore.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => (setRestoring(null), restore.reset())}>
              Cancel
            </Button>
            <Button onClick={confirmRestore} loading={restore.isPending} data-autofocus>
              Restore as version {current.version + 1}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
