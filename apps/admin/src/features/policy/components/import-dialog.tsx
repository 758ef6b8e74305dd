import { useEffect, useState } from 'react';
import {
  Alert,
  Button,
  FileInput,
  Group,
  Modal,
  ScrollArea,
  Stack,
  Table,
  Text,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ImportResult } from '@corsplane/contracts';
import { errorMessage } from '../../../lib/api-client.js';
import { useImportOrigins, type ImportFormat } from '../api/import-origins.js';

export type ImportMode = 'paste' | 'csv';

interface Props {
  slug: string;
  mode: ImportMode | null;
  onClose: () => void;
}

const MAX_ERRORS_SHOWN = 200;

/**
 * "Paste a list" (one pattern a line) and "Import CSV" (pattern,note,expiresAt): the server checks the
 * list first (`?dryRun=true`: nothing saved) and its verdict is shown line by line; the import itself
 * is all or nothing (SPEC §4.1), one new version.
 */
export function ImportDialog({ slug, mode, onClose }: Props) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const check = useImportOrigins();
  const save = useImportOrigins();
  const format: ImportFormat = mode === 'csv' ? 'text/csv' : 'text/plain';

  useEffect(() => {
    if (mode === null) {
      setText('');
      setFileName(null);
      check.reset();
      save.reset();
    }
  }, [mode]);

  const edit = (value: string) => {
    setText(value);
    check.reset();
    save.reset();
  };
  const report: ImportResult | undefined = save.data ?? check.data;
  const lines = text === '' ? 0 : text.replace(/\n$/, '').split('\n').length;
  const checked = check.data !== undefined && !check.isPending;
  const canImport = checked && check.data.errors.length === 0 && check.data.added > 0;

  return (
    <Modal
      opened={mode !== null}
      onClose={onClose}
      size="xl"
      title={mode === 'csv' ? 'Import origins from CSV' : 'Paste a list of origins'}
    >
      <Stack>
        {mode === 'csv' ? (
          <FileInput
            label="CSV file"
            description="Columns pattern,note,expiresAt (a header row is optional), as Export CSV writes them."
            accept=".csv,text/csv"
            placeholder="Choose a file"
            value={null}
            onChange={(file) => {
              if (!file) return;
              setFileName(file.name);
              void file.text().then(edit);
            }}
          />
        ) : (
          <Textarea
            label="Origins, one a line"
            description="Exact origins or patterns; entries already listed are left as they are."
            placeholder={'https://app.example.com\nhttps://*.example.org'}
            value={text}
            onChange={(e) => edit(e.currentTarget.value)}
            rows={10}
            classNames={{ input: 'mono' }}
            spellCheck={false}
          />
        )}
        {mode === 'csv' && fileName && (
          <Text size="sm">
            {fileName}: {lines.toLocaleString('en-US')} line{lines === 1 ? '' : 's'}
          </Text>
        )}
        {(check.error || save.error) && (
          <Alert color="red" role="alert">
            {errorMessage(check.error ?? save.error)}
          </Alert>
        )}
        {report && <ImportReport report={report} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {save.data && save.data.errors.length === 0 ? 'Close' : 'Cancel'}
          </Button>
          {!(save.data && save.data.errors.length === 0) && (
            <>
              <Button
                variant={canImport ? 'default' : 'filled'}
                disabled={!text.trim()}
                loading={check.isPending}
                onClick={() => check.mutate({ slug, text, format, dryRun: true })}
              >
                Check with the server
              </Button>
              <Button
                disabled={!canImport}
                loading={save.isPending}
                onClick={() =>
                  save.mutate(
                    { slug, text, format, dryRun: false },
                    {
                      onSuccess: (r) => {
                        if (r.errors.length > 0) return;
                        notifications.show({
                          color: 'green',
                          message: `${r.added.toLocaleString('en-US')} origins added: version ${r.version} is live.`,
                        });
                      },
                    },
                  )
                }
              >
                {canImport
                  ? `Import ${check.data.added.toLocaleString('en-US')} origin${check.data.added === 1 ? '' : 's'}`
                  : 'Import'}
              </Button>
            </>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}

function ImportReport({ report }: { report: ImportResult }) {
  const { added, unchanged, errors, dryRun } = report;
  const n = (v: number) => v.toLocaleString('en-US');
  if (errors.length > 0) {
    return (
      <Stack gap="xs" data-testid="import-report">
        <Alert
          color="red"
          title={`${n(errors.length)} line${errors.length === 1 ? '' : 's'} refused: nothing will be saved`}
          role="alert"
        >
          Fix {errors.length === 1 ? 'it' : 'them'} and check again. The other lines are fine.
        </Alert>
        <ScrollArea.Autosize mah={280}>
          <Table verticalSpacing={4} fz="sm" aria-label="Refused lines" data-testid="import-errors">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={70}>Line</Table.Th>
                <Table.Th>Value</Table.Th>
                <Table.Th>Problem</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {errors.slice(0, MAX_ERRORS_SHOWN).map((e) => (
                <Table.Tr key={`${e.line}-${e.reason}`}>
                  <Table.Td>{e.line}</Table.Td>
                  <Table.Td className="mono">
                    {typeof e.value === 'string' ? e.value : JSON.stringify(e.value)}
                  </Table.Td>
                  <Table.Td>{e.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
        {errors.length > MAX_ERRORS_SHOWN && (
          <Text size="xs" c="dimmed">
            The first {MAX_ERRORS_SHOWN} of {n(errors.length)} refused lines are shown.
          </Text>
        )}
      </Stack>
    );
  }
  return (
    <Alert color={dryRun ? 'blue' : 'green'} data-testid="import-report">
      {dryRun
        ? `Every line is valid: ${n(added)} will be added, ${n(unchanged)} already listed.`
        : `Saved: ${n(added)} added, ${n(unchanged)} already listed (version ${report.version}).`}
    </Alert>
  );
}
